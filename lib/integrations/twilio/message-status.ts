import type { Db } from "../../db/client.ts";
import type { AppliedEffect } from "../types.ts";

/** Where each Twilio `MessageStatus` stands (INTEGRATIONS.md 2.2); a status only ever moves to a higher rank. */
const RANK: Record<string, number> = {
  accepted: 0,
  scheduled: 0,
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  partially_delivered: 3,
  // Final: nothing moves a message out of them.
  failed: 9,
  undelivered: 9,
  canceled: 9,
};

/** The statuses a message may be moved out of to reach `next`: lower ranks; failure only before delivery. */
export function statusesBelow(next: string): string[] {
  const rank = RANK[next];
  if (rank === undefined) return [];
  const ceiling = rank === 9 ? 3 : rank; // a late "undelivered" never undoes "delivered"
  return Object.entries(RANK)
    .filter(([, r]) => r < ceiling)
    .map(([s]) => s);
}

export const isKnownStatus = (status: string) => status in RANK;

/** Where a status stands (unknown ones lowest). */
export const statusRank = (status: string) => RANK[status] ?? -1;

/**
 * A status callback: the messages with this sid move forward to `status`, in one conditional update (two
 * callbacks racing cannot move one backwards). No message with the sid (the send was made outside OneThread, or
 * its callback overtook the recording of the send, which then applies it: catch-up-statuses.ts): the delivery
 * is kept, ignored, saying so.
 */
export async function applyMessageStatus(
  db: Db,
  workspaceId: string,
  sid: string,
  status: string,
  errorCode: string | null,
): Promise<AppliedEffect> {
  const moved = await db.message.updateMany({
    where: {
      workspaceId,
      externalId: sid,
      OR: [{ status: null }, { status: { in: statusesBelow(status) } }],
    },
    data: { status },
  });
  const failure = errorCode ? ` (error ${errorCode})` : "";
  if (moved.count) return { summary: `Twilio message ${sid} ${status}${failure}` };
  const existing = await db.message.findFirst({ where: { workspaceId, externalId: sid }, select: { status: true } });
  if (!existing)
    return {
      ignored: true,
      summary: `Twilio status ${status} for ${sid}: no message sent from OneThread has this sid`,
    };
  return { summary: `Twilio status ${status} for ${sid} arrived late: the message stays ${existing.status}` };
}
