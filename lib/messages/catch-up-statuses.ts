import type { Db } from "../db/client.ts";
import { applyMessageStatus, statusRank } from "../integrations/twilio/message-status.ts";

/**
 * Status callbacks that overtook the recording of their send: Twilio may post "sent" before our write of the
 * message (with its sid) has committed, and such a callback was kept as ignored (no message had the sid).
 * Once the message is stored, those receipts (`<sid>:<status>`, parse-form.ts) are applied, lowest status first
 * (forward-only, so the order of arrival does not matter), and marked processed in the delivery log.
 */
export async function catchUpStatuses(db: Db, workspaceId: string, sid: string): Promise<void> {
  const early = await db.webhookReceipt.findMany({
    where: { workspaceId, provider: "twilio", externalId: { startsWith: `${sid}:` }, outcome: "ignored" },
    select: { id: true, externalId: true },
  });
  const statuses = early
    .map((r) => ({ id: r.id, status: r.externalId.slice(sid.length + 1) }))
    .sort((a, b) => statusRank(a.status) - statusRank(b.status));
  for (const { id, status } of statuses) {
    const effect = await applyMessageStatus(db, workspaceId, sid, status, null);
    await db.webhookReceipt.update({
      where: { id },
      data: { outcome: "processed", summary: `${effect.summary} (applied once the send was recorded)` },
    });
  }
}
