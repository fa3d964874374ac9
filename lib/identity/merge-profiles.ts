import type { Tx } from "../db/client.ts";

/**
 * R6: moves everything of `fromId` onto `intoId` inside the caller's transaction — identifiers, events,
 * conversations and messages, rungs (earliest per rung), links, consent, outbound sends — forwards earlier
 * merges, marks `fromId` merged, recomputes the survivor (seen times, counts, touches by event time, R15)
 * and records the merge with the identifiers that moved, so a split can undo it (R16).
 */
export async function mergeProfiles(
  tx: Tx,
  workspaceId: string,
  fromId: string,
  intoId: string,
  opts: { eventId?: string | null; kind: "auto" | "manual"; reason?: string; byUserId?: string | null },
) {
  const moved = await tx.$queryRawUnsafe<{ type: string; hash: string }[]>(
    `UPDATE "Identifier" SET "profileId" = $2::uuid WHERE "profileId" = $1::uuid RETURNING type::text, hash`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Event" SET "profileId" = $3::uuid WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid`,
    workspaceId,
    fromId,
    intoId,
  );
  // Conversations: one per person and channel; messages of a channel both had join the survivor's thread.
  await tx.$executeRawUnsafe(
    `UPDATE "Message" m SET "conversationId" = s.id FROM "Conversation" l JOIN "Conversation" s ON s."profileId" = $2::uuid AND s.channel = l.channel
     WHERE l."profileId" = $1::uuid AND m."conversationId" = l.id`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Conversation" s SET "lastMessageAt" = GREATEST(s."lastMessageAt", l."lastMessageAt"), "startedAt" = LEAST(s."startedAt", l."startedAt")
     FROM "Conversation" l WHERE l."profileId" = $1::uuid AND s."profileId" = $2::uuid AND s.channel = l.channel`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `DELETE FROM "Conversation" l USING "Conversation" s WHERE l."profileId" = $1::uuid AND s."profileId" = $2::uuid AND s.channel = l.channel`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Conversation" SET "profileId" = $2::uuid WHERE "profileId" = $1::uuid`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Message" SET "profileId" = $2::uuid WHERE "profileId" = $1::uuid`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "ProfileRung" ("profileId", rung, "reachedAt", "eventId") SELECT $2::uuid, rung, "reachedAt", "eventId" FROM "ProfileRung" WHERE "profileId" = $1::uuid
     ON CONFLICT ("profileId", rung) DO UPDATE SET "reachedAt" = LEAST("ProfileRung"."reachedAt", EXCLUDED."reachedAt"),
       "eventId" = CASE WHEN EXCLUDED."reachedAt" < "ProfileRung"."reachedAt" THEN EXCLUDED."eventId" ELSE "ProfileRung"."eventId" END`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(`DELETE FROM "ProfileRung" WHERE "profileId" = $1::uuid`, fromId);
  for (const table of ["TrackedLink", "LinkClick", "EmailSend", "ConsentRecord", "Outbox", "Nudge", "PrivacyRequest"]) {
    await tx.$executeRawUnsafe(
      `UPDATE "${table}" SET "profileId" = $2::uuid WHERE "profileId" = $1::uuid`,
      fromId,
      intoId,
    );
  }
  // Path compression: profiles merged into the loser earlier now point straight at the survivor.
  await tx.$executeRawUnsafe(
    `UPDATE "Profile" SET "mergedIntoId" = $2::uuid WHERE "mergedIntoId" = $1::uuid`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Profile" s SET rung = GREATEST(s.rung, l.rung), "visitCount" = s."visitCount" + l."visitCount",
       "lastWebAt" = GREATEST(s."lastWebAt", l."lastWebAt"), "emailEnc" = COALESCE(s."emailEnc", l."emailEnc"),
       "phoneEnc" = COALESCE(s."phoneEnc", l."phoneEnc"), "nameEnc" = COALESCE(s."nameEnc", l."nameEnc"),
       "displayName" = COALESCE(s."displayName", l."displayName"), "customerNumber" = COALESCE(s."customerNumber", l."customerNumber"),
       "optedOutAt" = COALESCE(s."optedOutAt", l."optedOutAt"), "gpcAt" = COALESCE(s."gpcAt", l."gpcAt"), "updatedAt" = now()
     FROM "Profile" l WHERE s.id = $2::uuid AND l.id = $1::uuid`,
    fromId,
    intoId,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Profile" SET "mergedIntoId" = $2::uuid, "mergedAt" = now(), "customerNumber" = NULL, "updatedAt" = now() WHERE id = $1::uuid`,
    fromId,
    intoId,
  );
  await recomputeAggregates(tx, workspaceId, intoId);
  await tx.profileMerge.create({
    data: {
      workspaceId,
      fromProfileId: fromId,
      intoProfileId: intoId,
      eventId: opts.eventId ?? null,
      kind: opts.kind,
      reason: opts.reason ?? null,
      identifiers: moved,
      byUserId: opts.byUserId ?? null,
    },
  });
  return moved;
}

/** Seen times, event count and first/last touch (by event time, R15) from the profile's events. */
export async function recomputeAggregates(tx: Tx, workspaceId: string, profileId: string) {
  await tx.$executeRawUnsafe(
    `UPDATE "Profile" p SET
       "firstSeenAt" = COALESCE(a.first, p."firstSeenAt"), "lastSeenAt" = COALESCE(a.last, p."lastSeenAt"), "eventCount" = a.n,
       "firstTouch" = (SELECT jsonb_build_object('occurredAt', to_char(e."occurredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'source', e.source) || e.campaign
                       FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = p.id AND e.campaign IS NOT NULL ORDER BY e."occurredAt", e.id LIMIT 1),
       "lastTouch" = (SELECT jsonb_build_object('occurredAt', to_char(e."occurredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'source', e.source) || e.campaign
                       FROM "Event" e WHERE e."workspaceId" = $1::uuid AND e."profileId" = p.id AND e.campaign IS NOT NULL ORDER BY e."occurredAt" DESC, e.id DESC LIMIT 1)
     FROM (SELECT min("occurredAt") AS first, max("occurredAt") AS last, count(*)::int AS n FROM "Event" WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid) a
     WHERE p.id = $2::uuid`,
    workspaceId,
    profileId,
  );
}

/** R6: a merged-away id answers its survivor, also through chains. Null for an unknown id or another tenant's. */
export async function resolveProfileId(tx: Tx, workspaceId: string, id: string): Promise<string | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  let current = id;
  for (let hops = 0; hops < 50; hops++) {
    const p = await tx.profile.findFirst({
      where: { id: current, workspaceId },
      select: { id: true, mergedIntoId: true },
    });
    if (!p) return null;
    if (!p.mergedIntoId) return p.id;
    current = p.mergedIntoId;
  }
  return null;
}
