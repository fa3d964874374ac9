import { addressOf, htmlToText } from "../../emails/html-to-text.ts";
import type { IngestEventInput } from "../../ingest/schemas.ts";
import type { MapContext, MappedDelivery } from "../types.ts";
import { type ResendEventBody, timeOf } from "./event-body.ts";
import { fetchReceivedEmail } from "./fetch-received.ts";

/** The most of a mail kept: its text whole up to this (longer ones are cut, saying so), html only up to it. */
export const RECEIVED_LIMITS = { textChars: 200_000, htmlChars: 200_000 };

/**
 * `email.received` (inbound, metadata only): the mail itself is fetched from the workspace's Resend (a failure
 * is a 502, so Resend retries the delivery and the retry completes it), then `email/email_replied` on whoever
 * holds the sender's address — a new person if nobody does —, its full text (else the text of its html) the
 * next message of their email thread, sealed (P13), its subject and html sealed with it.
 */
export async function mapReceivedEmail(body: ResendEventBody, ctx: MapContext): Promise<MappedDelivery> {
  const emailId = body.data.email_id;
  const from = addressOf(body.data.from);
  if (!emailId || !from)
    return {
      summary: `Resend ${body.type} ${emailId ? "without a sender address" : "without an email_id"}`,
      events: [],
      ignored: true,
    };
  const mail = await fetchReceivedEmail(ctx.db, ctx.workspaceId, emailId);
  const sender = addressOf(mail.from) ?? from;
  let text = mail.text?.trim() || (mail.html ? htmlToText(mail.html) : "");
  if (text.length > RECEIVED_LIMITS.textChars)
    text = `${text.slice(0, RECEIVED_LIMITS.textChars)}\n[… cut: the mail is longer than ${RECEIVED_LIMITS.textChars} characters]`;
  const id = `resend_email_replied_${emailId}`.slice(0, 128);
  const content: Record<string, string> = {};
  if (text) content.text = text;
  if (mail.subject ?? body.data.subject) content.subject = (mail.subject ?? body.data.subject ?? "").slice(0, 2000);
  if (mail.html && mail.html.length <= RECEIVED_LIMITS.htmlChars) content.html = mail.html;
  const event = {
    id,
    source: "email",
    type: "email_replied",
    occurredAt: timeOf(mail.created_at, body.data.created_at, body.created_at),
    channel: "email",
    direction: "in",
    identity: { email: sender },
    properties: {
      provider: "resend",
      messageId: emailId,
      status: "received",
      ...(mail.attachments?.length ? { attachments: mail.attachments.length } : {}),
    },
  } as IngestEventInput;
  return { summary: "Resend email received", events: [event], content: { [id]: content } };
}
