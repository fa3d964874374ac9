import type { Db, Tx } from "../db/client.ts";
import type { IdentifierType } from "../identity/types.ts";

/** The suppression scopes that forbid sending a conversion back to an ad network (decision 014). */
export const NO_SEND_BACK_SCOPES = ["sendback", "tracking", "all"];

/**
 * P5, P7: whether a conversion of this person may be sent back to Google or Meta. Never when their browser
 * sent Global Privacy Control (the profile's `gpcAt`, and scope `sendback` over their identifiers), when they
 * opted out of tracking or of everything, or when any identifier the conversion itself carries is on the list
 * (a payment webhook's email of someone not yet joined to the profile). Read from the database on every call,
 * like every opt-out: no instance holds a stale answer.
 */
export async function maySendBack(
  db: Db | Tx,
  workspaceId: string,
  profileId: string | null,
  carried: readonly { type: IdentifierType; hash: string }[] = [],
): Promise<boolean> {
  const [profile, own] = profileId
    ? await Promise.all([
        db.profile.findFirst({ where: { workspaceId, id: profileId }, select: { gpcAt: true, optedOutAt: true } }),
        db.identifier.findMany({ where: { workspaceId, profileId }, select: { type: true, hash: true } }),
      ])
    : [null, []];
  if (profile?.gpcAt || profile?.optedOutAt) return false;
  const keys = [...own, ...carried];
  if (!keys.length) return true;
  const listed = await db.suppression.count({
    where: { workspaceId, scope: { in: NO_SEND_BACK_SCOPES }, OR: keys.map((k) => ({ type: k.type, hash: k.hash })) },
  });
  return listed === 0;
}
