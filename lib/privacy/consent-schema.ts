import { z } from "zod";

/**
 * The props of the tracker's `consent` event (lib/tracker/README.md), read as the tracker means them:
 * `granted` is the only yes, anything else a refusal; a blank or missing banner version is none.
 */
export const consentPropsSchema = z.object({
  choice: z
    .unknown()
    .optional()
    .transform((v) => (v === "granted" ? ("granted" as const) : ("denied" as const))),
  bannerVersion: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === "string" && v.trim() ? v.slice(0, 64) : null)),
  gpc: z
    .unknown()
    .optional()
    .transform((v) => v === true),
});

export type ConsentProps = z.output<typeof consentPropsSchema>;
