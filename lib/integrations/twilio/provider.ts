import { z } from "zod";
import type { ProviderModule } from "../types.ts";
import { mapTwilioDelivery } from "./map-delivery.ts";
import { deliveryIdOf, parseTwilioForm } from "./parse-form.ts";
import { verifyTwilioSignature } from "./verify-signature.ts";

const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, "must be a number in E.164 form (+15551234567)");

/** `PUT /api/v1/integrations/twilio` (API.md "Integrations"). */
export const twilioConnectSchema = z
  .object({
    accountSid: z
      .string()
      .trim()
      .regex(/^AC[0-9a-fA-F]{32}$/, "must be the account's SID: AC followed by 32 hexadecimal characters"),
    authToken: z
      .string()
      .trim()
      .regex(/^[0-9a-zA-Z]{16,64}$/, "must be the account's Auth Token (32 characters, from Twilio's console)"),
    fromNumber: e164.optional(),
    whatsappFrom: z
      .string()
      .trim()
      .transform((s) => s.replace(/^whatsapp:/i, ""))
      .pipe(e164)
      .optional(),
    messagingServiceSid: z
      .string()
      .trim()
      .regex(/^MG[0-9a-fA-F]{32}$/, "must be a Messaging Service SID: MG followed by 32 hexadecimal characters")
      .optional(),
  })
  .strict();
export type TwilioConnectInput = z.output<typeof twilioConnectSchema>;

/**
 * The workspace's own Twilio account: the Auth Token signs its webhooks (sealed as the endpoint's secret, never
 * returned); the numbers are plain settings for sends.
 */
export const twilioProvider: ProviderModule<TwilioConnectInput> = {
  id: "twilio",
  label: "Twilio",
  connectSchema: twilioConnectSchema,
  connect: (input) => ({
    secret: input.authToken,
    config: {
      accountSid: input.accountSid,
      ...(input.fromNumber ? { fromNumber: input.fromNumber } : {}),
      ...(input.whatsappFrom ? { whatsappFrom: input.whatsappFrom } : {}),
      ...(input.messagingServiceSid ? { messagingServiceSid: input.messagingServiceSid } : {}),
    },
  }),
  verify: verifyTwilioSignature,
  parseBody: parseTwilioForm,
  bodyDeliveryId: (body) => deliveryIdOf(body as Record<string, string>),
  map: (body, prefix) => mapTwilioDelivery(body as Record<string, string>, prefix),
};
