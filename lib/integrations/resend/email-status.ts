import type { Db } from "../../db/client.ts";
import { uuidv7 } from "../../db/uuidv7.ts";

/**
 * Where each status of a sent email stands; a status only moves to a higher rank, so a late `email.sent`
 * never undoes `delivered` and a complaint after delivery is kept. Failed and suppressed are final, but only
 * before delivery.
 */
const RANK: Record<string, number> = {
  sending: 0,
  sent: 1,
  delivered: 2,
  bounced: 3,
  failed: 3,
  suppressed: 3,
  complained: 4,
};

export function statusesBelow(next: string): string[] {
  const rank = RANK[next] ?? -1;
  const ceiling = next === "failed" || next === "suppressed" ? RANK.delivered : rank;
  return Object.entries(RANK)
    .filter(([, r]) => r < (ceiling ?? 0))
    .map(([s]) => s);
}

/**
 * A Resend status for the email with this id: its EmailSend and its message in the person's email thread move
 * forward to it, each in one conditional update (two deliveries racing cannot move one backwards). Answers
 * whether the send is one of ours.
 */
export async function applyEmailStatus(db: Db, workspaceId: string, providerId: string, status: string) {
  const below = statusesBelow(status);
  const sends = await db.emailSend.updateMany({
    where: { workspaceId, providerId, status: { in: below } },
    data: { status },
  });
  await db.message.updateMany({
    where: { workspaceId, externalId: providerId, OR: [{ status: null }, { status: { in: below } }] },
    data: { status },
  });
  return sends.count;
}

export const COMPLAINT_REASON = "resend_complaint";

/**
 * A spam complaint is an unsubscribe from marketing (as the mail providers' bulk-sender rules read it): a
 * Suppression of the address's hash with scope `email:marketing`, which later marketing sends refuse (409
 * `opted_out`); transactional mail still goes. Idempotent.
 */
export async function suppressComplainer(db: Db, workspaceId: string, hashes: readonly string[]) {
  if (!hashes.length) return;
  await db.suppression.createMany({
    data: [...new Set(hashes)].map((hash) => ({
      id: uuidv7(),
      workspaceId,
      type: "email" as const,
      hash,
      scope: "email:marketing",
      reason: COMPLAINT_REASON,
    })),
    skipDuplicates: true,
  });
}
