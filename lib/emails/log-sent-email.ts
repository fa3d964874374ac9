import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { loadWorkspaceForIngest } from "../ingest/load-workspace.ts";
import { recordProfileEvent } from "../ingest/record-profile-event.ts";

/** What a send keeps to send again and to log (lib/emails/send-email.ts). */
export const STORED_SEND = {
  id: true,
  profileId: true,
  kind: true,
  status: true,
  providerId: true,
  requestHash: true,
  payloadEnc: true,
  tracked: true,
  sentAt: true,
} as const;

export interface StoredSend {
  id: string;
  profileId: string | null;
  kind: string;
  status: string;
  providerId: string | null;
  requestHash: string | null;
  payloadEnc: string | null;
  tracked: boolean;
  sentAt: Date;
}

/** The sealed request of a send: what Resend is sent, and the mail as its author wrote it for the thread. */
export interface SealedSend {
  request: Record<string, unknown>;
  thread: { subject: string; text: string; html?: string };
}

export const openSend = (payloadEnc: string) => JSON.parse(decrypt(payloadEnc)) as SealedSend;

/**
 * Logs a send Resend accepted: `email/email_sent` on the person (the mail's text, as written — not its
 * tracked links — the next message of their email thread, sealed with its subject and html, P13), then
 * forgets the sealed request. Its event id is the send's own, so logging again (a retry with the same
 * Idempotency-Key after a failure here) and Resend's `email.sent` webhook add nothing.
 */
export async function logSentEmail(db: Db, workspaceId: string, send: StoredSend): Promise<void> {
  if (!send.payloadEnc || !send.providerId) return;
  if (send.profileId) {
    const { thread } = openSend(send.payloadEnc);
    await recordProfileEvent(db, await loadWorkspaceForIngest(db, workspaceId), send.profileId, {
      id: `es_${send.id}`,
      source: "email",
      type: "email_sent",
      occurredAt: send.sentAt,
      channel: "email",
      properties: {
        provider: "resend",
        messageId: send.providerId,
        emailSendId: send.id,
        purpose: send.kind,
        status: "sent",
        tracked: send.tracked,
        ...thread,
      },
    });
  }
  await db.emailSend.update({ where: { id: send.id }, data: { payloadEnc: null } });
}
