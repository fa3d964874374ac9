import { z } from "zod";

/** The most text Twilio sends in one message (SMS and WhatsApp alike; longer bodies are refused with 21617). */
export const MAX_BODY = 1600;

/** POST /api/v1/messages (API.md "Links, checkout, messages…"). */
export const sendMessageSchema = z
  .object({
    profileId: z.string().min(1).max(64),
    channel: z.enum(["sms", "whatsapp"], "must be sms or whatsapp"),
    body: z
      .string()
      .trim()
      .min(1, "must hold the message's text")
      .max(MAX_BODY, `must be at most ${MAX_BODY.toLocaleString("en-US")} characters (Twilio's limit)`),
    purpose: z.enum(["transactional", "marketing"], "must be transactional or marketing").default("transactional"),
  })
  .strict();
export type SendMessageInput = z.output<typeof sendMessageSchema>;
