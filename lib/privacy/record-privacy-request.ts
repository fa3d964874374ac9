import type { Db, Tx } from "../db/client.ts";
import { uuidv7 } from "../db/uuidv7.ts";

export type PrivacyRequestKind = "export" | "erasure" | "opt_out";
export type PrivacyRequestVia = "preferences" | "unsubscribe" | "sms" | "api" | "owner";

/**
 * GDPR Art. 12(3): answer within one month of receipt — the same day of the next month, or its last day when
 * it has no such day (Regulation 1182/71 Art. 3(2)(c): 31 January is due 28 February, never 3 March).
 */
export function dueDate(receivedAt: Date) {
  const due = new Date(receivedAt);
  due.setUTCDate(1);
  due.setUTCMonth(due.getUTCMonth() + 1);
  const last = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
  due.setUTCDate(Math.min(receivedAt.getUTCDate(), last));
  return due;
}

/**
 * A privacy request done at once (P12): an owner's export or erasure from the person's page is a request
 * received and completed in the same moment, kept in the log with its due date like any other. An erased
 * person's request keeps no profile id (nothing may point at them any more).
 */
export async function recordCompletedRequest(
  db: Db | Tx,
  workspaceId: string,
  request: { kind: PrivacyRequestKind; via: PrivacyRequestVia; profileId: string | null },
) {
  const now = new Date();
  return db.privacyRequest.create({
    data: {
      id: uuidv7(),
      workspaceId,
      profileId: request.profileId,
      kind: request.kind,
      via: request.via,
      status: "done",
      receivedAt: now,
      dueAt: dueDate(now),
      completedAt: now,
    },
    select: { id: true, kind: true, via: true, receivedAt: true, completedAt: true },
  });
}
