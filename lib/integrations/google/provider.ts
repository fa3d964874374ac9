import { z } from "zod";
import { OUTBOUND_ONLY } from "../outbound-only.ts";
import type { ProviderModule } from "../types.ts";

const customerId = z
  .string()
  .trim()
  .transform((v) => v.replace(/-/g, ""))
  .pipe(z.string().regex(/^\d{10}$/, "must be the Google Ads customer id: 10 digits, dashes allowed (123-456-7890)"));

/** A conversion action's id, or its resource name `customers/{id}/conversionActions/{id}` (its id is kept). */
const conversionAction = z
  .string()
  .trim()
  .transform((v) => v.match(/^customers\/\d+\/conversionActions\/(\d+)$/)?.[1] ?? v)
  .pipe(
    z
      .string()
      .regex(
        /^\d{1,20}$/,
        "must be the conversion action's id (digits) or its resource name customers/…/conversionActions/…",
      ),
  );

/** `PUT /api/v1/integrations/google {"customerId", "conversionAction", "accessToken"}` (API.md "Integrations"). */
export const googleConnectSchema = z
  .object({
    customerId,
    conversionAction,
    accessToken: z
      .string()
      .trim()
      .min(20, "must be an OAuth 2.0 access token with the Data Manager scope")
      .max(4000)
      .regex(/^[A-Za-z0-9._~+/=-]+$/, "must be an OAuth 2.0 access token (no spaces)"),
  })
  .strict();
export type GoogleConnectInput = z.output<typeof googleConnectSchema>;

/** Google Ads conversions through the Data Manager API (decision 021): the token sealed, the ids readable. */
export const googleProvider: ProviderModule<GoogleConnectInput> = {
  id: "google",
  label: "Google Ads",
  connectSchema: googleConnectSchema,
  connect: (input) => ({
    secret: input.accessToken,
    config: { customerId: input.customerId, conversionAction: input.conversionAction },
  }),
  ...OUTBOUND_ONLY,
};
