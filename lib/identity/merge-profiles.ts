import type { Db } from "../db/client.ts";
import { PRISMA_TX, type Sql } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { earlierTouch, laterTouch } from "./attribution.ts";
import type { IdentityState, ProfileState } from "./identity-state.ts";
import { type LockedProfile, lockLiveProfiles } from "./lock-profiles.ts";
import { refreshProfiles } from "./refresh-profiles.ts";
import { IDENTIFIER_LIMITS, IDENTIFIER_TYPES, parseIdentifierKey } from "./types.ts";

interface Candidate {
  id: string;
  createdAt: number | Date;
  customerNumber: number | null;
}

const time = (d: number | Date) => (typeof d === "number" ? d : d.getTime());

/** R6: the survivor holds a customer number if exactly one of them does; otherwise it is the older one. */
export function chooseSurvivor<T extends Candidate>(a: T, b: T): [survivor: T, loser: T] {
  const an = a.customerNumber !== null;
  const bn = b.customerNumber !== null;
  if (an !== bn) return an ? [a, b] : [b, a];
  const older = time(a.createdAt) - time(b.createdAt) || (a.id < b.id ? -1 : 1);
  return older <= 0 ? [a, b] : [b, a];
}

/**
 * Why two profiles may not merge automatically, or null when they may: different account ids (R5a), or
 * more emails or phones together than one profile may hold (R5c). `pendingAccount` is an account id the
 * event is about to attach to `a`.
 */
export function mergeRefusal(a: ProfileState, b: ProfileState, pendingAccount?: string): string | null {
  const accountsA = new Set(a.accounts);
  if (pendingAccount) accountsA.add(pendingAccount);
  if (accountsA.size && b.accounts.size && [...b.accounts].some((h) => !accountsA.has(h))) return "different_accounts";
  for (const type of ["email", "phone"] as const) {
    if (a.holds[type] + b.holds[type] > IDENTIFIER_LIMITS[type]) return `${type}_limit`;
  }
  return null;
}

/** R6 inside a batch: folds the loser into the survivor in memory; the rows move at write time. */
export function mergeInMemory(
  state: IdentityState,
  a: ProfileState,
  b: ProfileState,
  eventId: string | null,
): ProfileState {
  const [s, l] = chooseSurvivor(a, b);
  const keys = state.keysOf(l);
  l.mergedInto = s.id;
  l.mergedAt = new Date();
  l.touched = true;
  s.rung = Math.max(s.rung, l.rung);
  for (const type of IDENTIFIER_TYPES) s.holds[type] += l.holds[type];
  for (const h of l.accounts) s.accounts.add(h);
  s.visitCount += l.visitCount;
  s.lastWebAt = l.lastWebAt === null ? s.lastWebAt : Math.max(s.lastWebAt ?? l.lastWebAt, l.lastWebAt);
  s.firstSeenAt = l.firstSeenAt === null ? s.firstSeenAt : Math.min(s.firstSeenAt ?? l.firstSeenAt, l.firstSeenAt);
  s.lastSeenAt = l.lastSeenAt === null ? s.lastSeenAt : Math.max(s.lastSeenAt ?? l.lastSeenAt, l.lastSeenAt);
  s.firstTouch = earlierTouch(s.firstTouch, l.firstTouch);
  s.lastTouch = laterTouch(s.lastTouch, l.lastTouch);
  s.eventCount += l.eventCount;
  s.emailEnc ??= l.emailEnc;
  s.phoneEnc ??= l.phoneEnc;
  s.displayName ??= l.displayName;
  if (!s.emailEnc) s.pendingEmail ??= l.pendingEmail;
  if (!s.phoneEnc) s.pendingPhone ??= l.pendingPhone;
  s.reached.push(...l.reached);
  if (s.rung === 4 && s.customerNumber === null) {
    const orders = [s.numberOrder, l.numberOrder].filter((n): n is number => n !== null);
    s.numberOrder = orders.length ? Math.min(...orders) : state.claimNumberOrder();
  }
  l.numberOrder = null;
  s.refresh = true;
  s.touched = true;
  state.merges.push({ from: l.id, into: s.id, eventId, kind: "auto", reason: null, keys });
  return s;
}

/**
 * R6 in the database: moves everything of `from` to `into` — identifiers, events, conversations and
 * messages, rungs (the earliest time per rung kept), and the rows other capabilities keep per person — and
 * forwards profiles that had been merged into `from`; the survivor keeps the earliest GPC and opt-out marks.
 * Returns the identifiers moved (`type:hash`).
 * The caller holds both profiles' row locks and updates both profile rows. `threads: false` (the caller knows
 * `from` has no conversations) saves the statements that join threads.
 */
export async function moveProfileRows(
  db: Sql,
  workspaceId: string,
  from: string,
  into: string,
  options: { threads?: boolean } = {},
): Promise<string[]> {
  const [moved] = await db.$queryRawUnsafe<{ keys: string[] }[]>(
    `WITH ids AS (
       UPDATE "Identifier" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid
       RETURNING type::text || ':' || hash AS key
     ),
     ev AS (UPDATE "Event" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid),
     rg AS (
       INSERT INTO "ProfileRung" ("profileId", rung, "reachedAt", "eventId")
       SELECT $3::uuid, rung, "reachedAt", "eventId" FROM "ProfileRung" WHERE "profileId" = $2::uuid
       ON CONFLICT ("profileId", rung) DO UPDATE SET "reachedAt" = EXCLUDED."reachedAt", "eventId" = EXCLUDED."eventId"
       WHERE EXCLUDED."reachedAt" < "ProfileRung"."reachedAt"
     ),
     rgd AS (DELETE FROM "ProfileRung" WHERE "profileId" = $2::uuid),
     fw AS (UPDATE "Profile" SET "mergedIntoId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "mergedIntoId" = $2::uuid),
     lc AS (UPDATE "LinkClick" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid),
     tl AS (UPDATE "TrackedLink" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid),
     es AS (UPDATE "EmailSend" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid),
     cr AS (UPDATE "ConsentRecord" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid),
     -- A nudge fires once per rule, person and occurrence (decision 020): the survivor keeps its own where both have one.
     nu AS (UPDATE "Nudge" n SET "profileId" = $3::uuid WHERE n."workspaceId" = $1::uuid AND n."profileId" = $2::uuid
       AND NOT EXISTS (SELECT 1 FROM "Nudge" k WHERE k."workspaceId" = $1::uuid AND k."profileId" = $3::uuid
         AND k.kind = n.kind AND k.occurrence = n.occurrence)),
     nud AS (DELETE FROM "Nudge" n WHERE n."workspaceId" = $1::uuid AND n."profileId" = $2::uuid
       AND EXISTS (SELECT 1 FROM "Nudge" k WHERE k."workspaceId" = $1::uuid AND k."profileId" = $3::uuid
         AND k.kind = n.kind AND k.occurrence = n.occurrence)),
     ob AS (UPDATE "Outbox" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid),
     pq AS (UPDATE "PrivacyRequest" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid),
     -- P5, P7: a GPC signal or an opt-out of either person holds for the survivor, from the earliest time.
     -- A survivor without a name takes the other's, with its blind index (lib/people/person-name.ts).
     op AS (UPDATE "Profile" s SET "gpcAt" = LEAST(s."gpcAt", l."gpcAt"), "optedOutAt" = LEAST(s."optedOutAt", l."optedOutAt"),
       "nameEnc" = COALESCE(s."nameEnc", l."nameEnc"),
       "nameTokens" = CASE WHEN s."nameEnc" IS NULL THEN l."nameTokens" ELSE s."nameTokens" END
       FROM "Profile" l WHERE s.id = $3::uuid AND l.id = $2::uuid AND s."workspaceId" = $1::uuid
       AND (l."gpcAt" IS NOT NULL OR l."optedOutAt" IS NOT NULL OR (s."nameEnc" IS NULL AND l."nameEnc" IS NOT NULL)))
     SELECT coalesce(array_agg(key), '{}') AS keys FROM ids`,
    workspaceId,
    from,
    into,
  );
  if (options.threads === false) return moved?.keys ?? [];
  // Conversations: one thread per person and channel, so same-channel threads are joined.
  await db.$executeRawUnsafe(
    `WITH pairs AS (
       SELECT l.id AS lid, s.id AS sid, l."startedAt", l."lastMessageAt" FROM "Conversation" l
       JOIN "Conversation" s ON s."profileId" = $2::uuid AND s.channel = l.channel
       WHERE l."profileId" = $1::uuid
     ),
     mm AS (UPDATE "Message" m SET "conversationId" = pairs.sid FROM pairs WHERE m."conversationId" = pairs.lid)
     UPDATE "Conversation" s SET "startedAt" = LEAST(s."startedAt", pairs."startedAt"),
       "lastMessageAt" = GREATEST(s."lastMessageAt", pairs."lastMessageAt")
     FROM pairs WHERE s.id = pairs.sid`,
    from,
    into,
  );
  await db.$executeRawUnsafe(
    `WITH gone AS (
       DELETE FROM "Conversation" c WHERE c."profileId" = $1::uuid
       AND EXISTS (SELECT 1 FROM "Conversation" s WHERE s."profileId" = $2::uuid AND s.channel = c.channel)
     )
     UPDATE "Message" SET "profileId" = $2::uuid WHERE "profileId" = $1::uuid`,
    from,
    into,
  );
  await db.$executeRawUnsafe(
    `UPDATE "Conversation" SET "profileId" = $2::uuid WHERE "profileId" = $1::uuid`,
    from,
    into,
  );
  return moved?.keys ?? [];
}

export interface MergeOptions {
  kind?: "manual" | "auto";
  byUserId?: string | null;
  eventId?: string | null;
}

/**
 * A deliberate merge of two people (R5d, `POST /api/v1/profiles/{id}/merge`): the survivor follows R6, and
 * the merge is recorded with the identifiers moved so it can be split again (R16). Returns the survivor's
 * id, or null when either profile does not exist in the workspace.
 */
export async function mergeProfiles(
  db: Db,
  workspaceId: string,
  profileId: string,
  otherProfileId: string,
  options: MergeOptions = {},
): Promise<string | null> {
  // Two merges of the same people in opposite directions lock them in the same order (lockLiveProfiles); a
  // deadlock the database still breaks (with a merge of a third profile of the chain) runs the merge again.
  return withRetry(() =>
    db.$transaction(async (tx) => {
      const pair = await lockLiveProfiles(tx, workspaceId, [profileId, otherProfileId]);
      if (!pair) return null;
      const [a, b] = pair as [LockedProfile, LockedProfile | undefined];
      if (!b) return a.id;
      const [s, l] = chooseSurvivor(a, b);
      const keys = await moveProfileRows(tx, workspaceId, l.id, s.id);
      const both = await tx.profile.findMany({
        where: { workspaceId, id: { in: [s.id, l.id] } },
        select: {
          id: true,
          rung: true,
          displayName: true,
          emailEnc: true,
          phoneEnc: true,
          nameEnc: true,
        },
      });
      const sv = both.find((p) => p.id === s.id);
      const lv = both.find((p) => p.id === l.id);
      if (!sv || !lv) throw new Error("A locked profile vanished while merging.");
      await tx.profile.update({
        where: { id: s.id },
        data: {
          rung: Math.max(sv.rung, lv.rung),
          displayName: sv.displayName ?? lv.displayName,
          emailEnc: sv.emailEnc ?? lv.emailEnc,
          phoneEnc: sv.phoneEnc ?? lv.phoneEnc,
          nameEnc: sv.nameEnc ?? lv.nameEnc,
          // P5, P7: moveProfileRows already kept the earliest GPC and opt-out marks on the survivor.
        },
      });
      await tx.profile.update({ where: { id: l.id }, data: { mergedIntoId: s.id, mergedAt: new Date() } });
      await refreshProfiles(tx, workspaceId, [s.id]);
      await tx.profileMerge.create({
        data: {
          id: uuidv7(),
          workspaceId,
          fromProfileId: l.id,
          intoProfileId: s.id,
          eventId: options.eventId ?? null,
          kind: options.kind ?? "manual",
          identifiers: keys.map(parseIdentifierKey),
          byUserId: options.byUserId ?? null,
        },
      });
      return s.id;
    }, PRISMA_TX),
  );
}
