import { z } from "zod";

const text = z.string().max(20_000);

/** Resend's envelope (INTEGRATIONS.md 3.2) and the fields of its email data that we read. */
export const resendEventBody = z.object({
  type: z.string().min(1).max(200),
  created_at: z.string().max(100).optional(),
  data: z
    .object({
      email_id: z.string().min(1).max(200).optional(),
      created_at: z.string().max(100).optional(),
      from: text.optional(),
      to: z.union([text, z.array(text).max(100)]).optional(),
      subject: text.nullish(),
      message_id: text.nullish(),
      bounce: z.object({ message: text.nullish(), type: text.nullish(), subType: text.nullish() }).loose().nullish(),
      click: z.object({ link: text.nullish(), timestamp: text.nullish() }).loose().nullish(),
      failed: z.object({ reason: text.nullish() }).loose().nullish(),
    })
    .loose(),
});
export type ResendEventBody = z.output<typeof resendEventBody>;

/** A time Resend gave, when ingest may store it (not before 2000, not a day ahead); else now. */
export function timeOf(...values: (string | undefined)[]): string {
  for (const v of values) {
    const ms = v ? Date.parse(v) : Number.NaN;
    if (Number.isFinite(ms) && ms > Date.UTC(2000, 0, 1) && ms < Date.now() + 3_600_000)
      return new Date(ms).toISOString();
  }
  return new Date().toISOString();
}
