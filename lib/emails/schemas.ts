import { z } from "zod";
import { storable } from "../ingest/schemas.ts";

/** The largest html or text part accepted (Resend's own ceiling is 40 MB for a whole message with attachments). */
export const MAX_PART_CHARS = 256 * 1024;

const part = z
  .string()
  .max(MAX_PART_CHARS, `must be at most ${MAX_PART_CHARS} characters`)
  .refine(storable, "must not contain NUL characters or unpaired surrogates");

/** POST /api/v1/emails (API.md "Links, checkout, messages, email, export"). */
export const sendEmailSchema = z
  .object({
    profileId: z.string().min(1).max(64),
    subject: z
      .string()
      .trim()
      .min(1, "must say what the email is about")
      .max(998, "must be at most 998 characters (one header line)")
      .refine((s) => !/[\r\n]/.test(s), "must be one line")
      .refine(storable, "must not contain NUL characters or unpaired surrogates"),
    html: part.optional(),
    text: part.optional(),
    /** Marketing mail stops at a marketing unsubscribe and carries a visible unsubscribe link; transactional does not. */
    purpose: z.enum(["transactional", "marketing"]).default("transactional"),
  })
  .strict()
  .refine((b) => !!b.html?.trim() || !!b.text?.trim(), {
    message: "give the email's html, its text, or both",
    path: ["text"],
  });
export type SendEmailInput = z.output<typeof sendEmailSchema>;

/** The `Idempotency-Key` header: visible ASCII, at most 255 characters (as Stripe and Resend take it). */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255, "must be at most 255 characters")
  .regex(/^[\x21-\x7e]+$/, "must be visible ASCII characters without spaces");
