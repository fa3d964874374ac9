import type { Db } from "../db/client.ts";
import type { IngestWorkspace } from "../ingest/load-workspace.ts";
import { inRecordingTransaction, recordProfileEventTx } from "../ingest/record-profile-event.ts";

export interface SendRecord {
  profileId: string;
  channel: "sms" | "whatsapp";
  /** Exactly what Twilio was given (the opt-out line included). */
  body: string;
  purpose: "transactional" | "marketing";
  /** The event's client id: Twilio's sid for a queued message, so recording it twice stores it once. */
  eventId: string;
  status: "queued" | "failed";
  providerId?: string;
  error?: { message: string; code?: number };
}

/**
 * A send attempt in the person's thread: `channel/message_out` recorded on the profile (at their rung, R11),
 * whose body becomes the sealed Message of their SMS or WhatsApp conversation (P13) with the status and
 * Twilio's sid as its external id — the key status callbacks move it by. Answers the Message's id.
 */
export async function recordSend(db: Db, ws: IngestWorkspace, send: SendRecord): Promise<string> {
  return inRecordingTransaction(db, async (tx) => {
    const recorded = await recordProfileEventTx(tx, ws, send.profileId, {
      id: send.eventId,
      source: "channel",
      type: "message_out",
      occurredAt: new Date(),
      channel: send.channel,
      properties: {
        provider: "twilio",
        body: send.body,
        purpose: send.purpose,
        status: send.status,
        ...(send.providerId ? { messageId: send.providerId } : {}),
        ...(send.error
          ? { error: send.error.message, ...(send.error.code ? { errorCode: send.error.code } : {}) }
          : {}),
      },
    });
    if (!recorded.eventId)
      throw new Error(`The send to profile ${send.profileId} could not be recorded (the person is gone).`);
    const [message] = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM "Message" WHERE "profileId" = $1::uuid AND "eventId" = $2::uuid`,
      recorded.profileId,
      recorded.eventId,
    );
    if (!message) throw new Error(`The send's event ${recorded.eventId} has no message.`);
    return message.id;
  });
}
