import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { loadWorkspaceForIngest } from "../ingest/load-workspace.ts";
import { inRecordingTransaction, recordProfileEventTx } from "../ingest/record-profile-event.ts";

const TOKEN = /^[0-9A-Za-z_-]{16,64}$/;

export interface RecordedOpen {
  emailSendId: string;
  /** Whether this was the mail's first open (EmailSend.openedAt was set by it). */
  first: boolean;
  /** The `email/email_opened` event stored on the recipient, or null (no profile, opted out, erased). */
  eventId: string | null;
}

/**
 * An open of a tracked mail (GET /api/o/{token}): the mail's first open sets `openedAt`; every open logs one
 * `email/email_opened` event on the recipient (followed through merges, at their rung). Unknown token: null,
 * nothing stored. Nothing of the request (IP, user agent) is kept (P6).
 */
export async function recordEmailOpen(db: Db, token: string, at = new Date()): Promise<RecordedOpen | null> {
  if (!TOKEN.test(token)) return null;
  const [send] = await sqlOf(db).$queryRawUnsafe<
    { id: string; workspaceId: string; profileId: string | null; kind: string; subject: string | null }[]
  >(`SELECT id, "workspaceId", "profileId", kind, subject FROM "EmailSend" WHERE token = $1`, token);
  if (!send) return null;
  const ws = send.profileId ? await loadWorkspaceForIngest(db, send.workspaceId) : null;
  const eventKey = `eo_${send.id}_${uuidv7(at.getTime())}`;
  // The recipient's profile is locked first, then the mail's row: the order a merge takes them in.
  return inRecordingTransaction(db, async (tx) => {
    const recorded =
      ws && send.profileId
        ? await recordProfileEventTx(tx, ws, send.profileId, {
            id: eventKey,
            source: "email",
            type: "email_opened",
            occurredAt: at,
            channel: "email",
            properties: { kind: send.kind, ...(send.subject ? { subject: send.subject } : {}) },
          })
        : null;
    const [row] = await tx.$queryRawUnsafe<{ first: boolean }[]>(
      `WITH prev AS (SELECT "openedAt" FROM "EmailSend" WHERE id = $1::uuid FOR UPDATE)
       UPDATE "EmailSend" e SET "openedAt" = COALESCE(e."openedAt", $2) FROM prev WHERE e.id = $1::uuid
       RETURNING prev."openedAt" IS NULL AS first`,
      send.id,
      at,
    );
    return { emailSendId: send.id, first: row?.first ?? false, eventId: recorded?.eventId ?? null };
  });
}
