import { appUrl } from "../config/env.ts";
import { openSignedToken, signToken } from "../crypto/signed-token.ts";
import type { Db } from "../db/client.ts";

const PURPOSE = "weekly-summary-unsubscribe";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const bytesOf = (uuid: string) => Buffer.from(uuid.replace(/-/g, ""), "hex");
const uuidOf = (b: Buffer) => {
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/**
 * The one-click unsubscribe token of one member's Friday summary: the workspace and the user, signed (HMAC
 * under a key derived from MASTER_KEY for this purpose alone, lib/crypto/signed-token.ts). It stores nothing
 * and does not expire: a summary of a year ago still unsubscribes. It only ever turns the summary off.
 */
export function summaryUnsubscribeToken(workspaceId: string, userId: string): string {
  if (!UUID.test(workspaceId) || !UUID.test(userId)) throw new Error("summary token: ids must be UUIDs");
  return signToken(PURPOSE, Buffer.concat([bytesOf(workspaceId), bytesOf(userId)]));
}

export function openSummaryToken(token: string): { workspaceId: string; userId: string } | null {
  if (typeof token !== "string") return null;
  const payload = openSignedToken(PURPOSE, token, 128);
  if (payload?.length !== 32) return null;
  return { workspaceId: uuidOf(payload.subarray(0, 16)), userId: uuidOf(payload.subarray(16)) };
}

export const summaryUnsubscribeUrl = (workspaceId: string, userId: string) =>
  `${appUrl()}/u/summary/${summaryUnsubscribeToken(workspaceId, userId)}`;

export interface SummarySubscription {
  workspaceId: string;
  business: string;
  subscribed: boolean;
}

/** What a token stands for, for its page: the member's workspace and whether the summary is on; null if unknown. */
export async function findSummarySubscription(db: Db, token: string): Promise<SummarySubscription | null> {
  const ids = openSummaryToken(token);
  if (!ids) return null;
  const m = await db.membership.findUnique({
    where: { userId_workspaceId: ids },
    select: { weeklySummary: true, workspace: { select: { name: true } } },
  });
  return m ? { workspaceId: ids.workspaceId, business: m.workspace.name, subscribed: m.weeklySummary } : null;
}

/** Turns one member's summary on or off (the token's one-click, or the switch in the app). */
export async function setWeeklySummary(db: Db, workspaceId: string, userId: string, on: boolean): Promise<boolean> {
  const r = await db.membership.updateMany({ where: { workspaceId, userId }, data: { weeklySummary: on } });
  return r.count === 1;
}

/** `POST /u/summary/{token}`: off at once; idempotent. Null for a token that names no membership. */
export async function unsubscribeSummary(db: Db, token: string): Promise<SummarySubscription | null> {
  const ids = openSummaryToken(token);
  if (!ids || !(await setWeeklySummary(db, ids.workspaceId, ids.userId, false))) return null;
  return findSummarySubscription(db, token);
}
