import { z } from "zod";
import { OPT_OUT_CHANNELS } from "./opt-out.ts";

/** `POST /api/v1/profiles/{id}/opt-out|opt-in` (API.md): one or more channels, each named once or more. */
export const optOutBody = z.object({
  channels: z
    .array(z.enum(OPT_OUT_CHANNELS, { error: `must be one of ${OPT_OUT_CHANNELS.join(", ")}` }), {
      error: "must be a list of channels",
    })
    .min(1, "name at least one channel")
    .max(OPT_OUT_CHANNELS.length * 2, "names too many channels"),
});
