import { z } from "zod";
import { OUTBOUND_ONLY } from "../outbound-only.ts";
import type { ProviderModule } from "../types.ts";

/** `PUT /api/v1/integrations/meta {"pixelId", "accessToken", "testEventCode"?}` (API.md "Integrations"). */
export const metaConnectSchema = z
  .object({
    pixelId: z
      .string()
      .trim()
      .regex(/^\d{5,20}$/, "must be the pixel (dataset) id: digits, from Events Manager"),
    accessToken: z
      .string()
      .trim()
      .min(20, "must be a Conversions API access token (Events Manager → Settings → Generate access token)")
      .max(1000)
      .regex(/^[A-Za-z0-9_-]+$/, "must be a Conversions API access token: letters, digits, - and _ only"),
    testEventCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,40}$/, "must be the test event code shown under Test events (e.g. TEST12345)")
      .optional(),
  })
  .strict();
export type MetaConnectInput = z.output<typeof metaConnectSchema>;

/** Meta's Conversions API (INTEGRATIONS.md 4): the token is sealed, the pixel id and a test code kept readable. */
export const metaProvider: ProviderModule<MetaConnectInput> = {
  id: "meta",
  label: "Meta",
  connectSchema: metaConnectSchema,
  connect: (input) => ({
    secret: input.accessToken,
    config: { pixelId: input.pixelId, ...(input.testEventCode ? { testEventCode: input.testEventCode } : {}) },
  }),
  ...OUTBOUND_ONLY,
};
