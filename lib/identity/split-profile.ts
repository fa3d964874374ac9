import { z } from "zod";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Db, Tx } from "../db/client.ts";
import { PRISMA_TX } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { badRequest } from "../errors.ts";
import { climb, type LadderEvent, RUNG4_TYPES, replayLadder } from "./ladder.ts";
import { lockLiveProfiles } from "./lock-profiles.ts";
import { maskIdentifier } from "./mask-identifier.ts";
import { hashGivenIdentifier, type IdentityContext } from "./prepare-identity.ts";
import { refreshProfiles } from "./refresh-profiles.ts";
import { IDENTIFIER_TYPES, type IdentifierType, identifierKey, parseIdentifierKey, priorityOf } from "./types.ts";

export const splitBodySchema = z.object({
  identifiers: z
    .array(z.object({ type: z.enum(IDENTIFIER_TYPES), value: z.string().min(1).max(320) }))
    .min(1)
    .max(50),
});
export type SplitInput = z.input<typeof splitBodySchema>["identifiers"];

interface HeldRow {
  id: string;
  type: IdentifierType;
  hash: string;
  valueEnc: string | null;
  createdAt: Date;
}

/**
 * Which of a profile's events go with the identifiers split off (R9, R16): those that arrived carrying one of
 * them, unless the event's strongest identifier still held by the profile outranks it — the event then stays,
 * as it was resolved by that identifier (R5b priority). An event that carried both sides of a merge thus
 * stays where it was first resolved, and a merge undone by a split puts every event back where it came from.
 */
export function eventsToMove(
  events: { id: string; identityHashes: string[] }[],
  moved: ReadonlySet<string>,
  kept: ReadonlySet<string>,
): Set<string> {
  const out = new Set<string>();
  const rank = (k: string) => priorityOf(parseIdentifierKey(k).type);
  for (const e of events) {
    const mine = e.identityHashes.filter((k) => moved.has(k) || kept.has(k)).sort((a, b) => rank(a) - rank(b));
    const strongest = mine[0];
    if (strongest && moved.has(strongest)) out.add(e.id);
  }
  return out;
}

/**
 * R16, `POST /api/v1/profiles/{id}/split`: moves the given identifiers, and exactly the events that arrived
 * carrying them, to a new profile; both profiles' rungs, touches and counts are recomputed (the moved
 * events' rungs by replaying the ladder over them, as if the merge had never been). Returns the new
 * profile's id, or null when the profile does not exist in the workspace.
 */
export async function splitProfile(
  db: Db,
  workspace: { id: string },
  ctx: IdentityContext,
  profileId: string,
  identifiers: SplitInput,
  options: { byUserId?: string | null } = {},
): Promise<string | null> {
  const workspaceId = workspace.id;
  const wanted = identifiers.map((given, n) => {
    const h = hashGivenIdentifier(given.type, given.value, ctx);
    if (!h)
      throw badRequest(`identifiers[${n}].value: not a usable ${given.type}`, [
        { path: `identifiers[${n}].value`, message: `is not a usable ${given.type}` },
      ]);
    return { n, key: identifierKey(h.type, h.hash) };
  });
  return withRetry(() =>
    db.$transaction(async (tx) => {
      const [live] = (await lockLiveProfiles(tx, workspaceId, [profileId])) ?? [];
      if (!live) return null;
      const id = live.id;
      const held = await tx.$queryRawUnsafe<HeldRow[]>(
        `SELECT id, type::text AS type, hash, "valueEnc", "createdAt" FROM "Identifier" WHERE "profileId" = $1::uuid`,
        id,
      );
      const heldKeys = new Set(held.map((h) => identifierKey(h.type, h.hash)));
      for (const w of wanted) {
        if (!heldKeys.has(w.key)) {
          throw badRequest(`identifiers[${w.n}]: this profile does not hold that identifier`, [
            { path: `identifiers[${w.n}]`, message: "is not held by this profile" },
          ]);
        }
      }
      const moved = new Set(wanted.map((w) => w.key));
      const kept = new Set([...heldKeys].filter((k) => !moved.has(k)));
      const candidates = await tx.$queryRawUnsafe<(LadderEvent & { identityHashes: string[] })[]>(
        `SELECT id, "occurredAt", source::text AS source, type, "identityHashes" FROM "Event"
         WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid AND "identityHashes" && $3::text[]`,
        workspaceId,
        id,
        [...moved],
      );
      const movedIds = eventsToMove(candidates, moved, kept);
      const movedEvents = candidates.filter((e) => movedIds.has(e.id));
      const newId = uuidv7();
      const replay = replayLadder(movedEvents, moved, new Date());
      const movedRows = held.filter((h) => moved.has(identifierKey(h.type, h.hash)));
      const keptRows = held.filter((h) => kept.has(identifierKey(h.type, h.hash)));
      const firstOf = (rows: HeldRow[], type: IdentifierType) =>
        rows.filter((r) => r.type === type).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
      const newEmail = firstOf(movedRows, "email");
      const newPhone = firstOf(movedRows, "phone");
      const at = movedEvents.map((e) => e.occurredAt).sort((a, b) => a.getTime() - b.getTime())[0] ?? new Date();
      const label = (row: HeldRow | undefined) => {
        const v = row ? decryptOrNull(row.valueEnc) : null;
        return row && v ? maskIdentifier(row.type, v) : null;
      };

      await tx.profile.create({
        data: {
          id: newId,
          workspaceId,
          rung: replay.rung,
          firstSeenAt: at,
          lastSeenAt: at,
          emailEnc: newEmail?.valueEnc ?? null,
          phoneEnc: newPhone?.valueEnc ?? null,
          displayName: label(newEmail) ?? label(newPhone),
        },
      });
      await tx.$executeRawUnsafe(
        `UPDATE "Identifier" SET "profileId" = $2::uuid WHERE "profileId" = $1::uuid AND id = ANY($3::uuid[])`,
        id,
        newId,
        movedRows.map((r) => r.id),
      );
      const ids = movedEvents.map((e) => e.id);
      await tx.$executeRawUnsafe(
        `UPDATE "Event" e SET "profileId" = $2::uuid, rung = v.rung
         FROM unnest($3::uuid[], $4::int[]) AS v(id, rung) WHERE e.id = v.id AND e."workspaceId" = $1::uuid`,
        workspaceId,
        newId,
        ids,
        ids.map((e) => replay.rungs.get(e) ?? 0),
      );
      await moveMessages(tx, workspaceId, id, newId, ids);
      if (replay.reached.length) {
        await tx.profileRung.createMany({
          data: replay.reached.map((r) => ({
            profileId: newId,
            rung: r.rung,
            reachedAt: r.reachedAt,
            eventId: r.eventId,
          })),
          skipDuplicates: true,
        });
      }
      await refreshProfiles(tx, workspaceId, [id, newId]);

      // The profile left behind: its rung from what it still holds and did (R10), never above what it had.
      const [left] = await tx.$queryRawUnsafe<
        {
          rung: number;
          visitCount: number;
          customerNumber: number | null;
          emailEnc: string | null;
          phoneEnc: string | null;
          rung4: boolean;
        }[]
      >(
        `SELECT rung, "visitCount", "customerNumber", "emailEnc", "phoneEnc",
           EXISTS (SELECT 1 FROM "Event" WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid AND type = ANY($3::text[])) AS rung4
         FROM "Profile" WHERE id = $2::uuid`,
        workspaceId,
        id,
        [...RUNG4_TYPES],
      );
      if (!left) throw new Error("The profile vanished during its split.");
      const count = (type: IdentifierType) => keptRows.filter((r) => r.type === type).length;
      const leftRung = Math.min(
        left.rung,
        climb(
          0,
          { email: count("email"), phone: count("phone"), account: count("account") },
          left.visitCount,
          left.rung4 ? "payment_succeeded" : undefined,
        ),
      );
      const movedValue = (enc: string | null, type: IdentifierType) => {
        const v = decryptOrNull(enc);
        return v !== null && movedRows.some((r) => r.type === type && decryptOrNull(r.valueEnc) === v);
      };
      const keptEmail = firstOf(keptRows, "email");
      const keptPhone = firstOf(keptRows, "phone");
      const emailEnc = movedValue(left.emailEnc, "email") ? (keptEmail?.valueEnc ?? null) : left.emailEnc;
      const phoneEnc = movedValue(left.phoneEnc, "phone") ? (keptPhone?.valueEnc ?? null) : left.phoneEnc;

      // R12: a customer number follows the rung 4 it was given for; a new rung 4 gets the next number.
      let leftNumber = left.customerNumber;
      let newNumber: number | null = null;
      if (replay.rung === 4) {
        if (leftRung < 4 && leftNumber !== null) {
          newNumber = leftNumber;
          leftNumber = null;
        } else {
          const [n] = await tx.$queryRawUnsafe<{ n: number }[]>(
            `UPDATE "Workspace" SET "customerNumberNext" = "customerNumberNext" + 1 WHERE id = $1::uuid RETURNING "customerNumberNext" - 1 AS n`,
            workspaceId,
          );
          newNumber = n?.n ?? null;
        }
      }
      await tx.$executeRawUnsafe(
        `UPDATE "Profile" SET rung = $2, "customerNumber" = $3, "emailEnc" = $4, "phoneEnc" = $5,
           "displayName" = CASE WHEN $6::boolean THEN $7 ELSE "displayName" END, "updatedAt" = now()
         WHERE id = $1::uuid`,
        id,
        leftRung,
        leftNumber,
        emailEnc,
        phoneEnc,
        emailEnc !== left.emailEnc || phoneEnc !== left.phoneEnc,
        label(keptEmail) ?? label(keptPhone),
      );
      if (newNumber !== null) await tx.profile.update({ where: { id: newId }, data: { customerNumber: newNumber } });
      await tx.$executeRawUnsafe(`DELETE FROM "ProfileRung" WHERE "profileId" = $1::uuid AND rung > $2`, id, leftRung);

      const movedList = [...moved].map(parseIdentifierKey);
      await tx.$executeRawUnsafe(
        `UPDATE "ProfileMerge" SET "undoneAt" = now() WHERE "workspaceId" = $1::uuid AND "intoProfileId" = $2::uuid
         AND kind IN ('auto', 'manual') AND "undoneAt" IS NULL AND jsonb_array_length(identifiers) > 0
         AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(identifiers) x WHERE (x->>'type') || ':' || (x->>'hash') <> ALL($3::text[]))`,
        workspaceId,
        id,
        [...moved],
      );
      await tx.profileMerge.create({
        data: {
          id: uuidv7(),
          workspaceId,
          fromProfileId: id,
          intoProfileId: newId,
          kind: "split",
          identifiers: movedList,
          byUserId: options.byUserId ?? null,
        },
      });
      await tx.identityLink.createMany({
        data: movedRows.map((r) => ({
          id: uuidv7(),
          workspaceId,
          profileId: newId,
          identifierId: r.id,
          type: r.type,
          hash: r.hash,
          action: "moved",
          reason: "split",
        })),
      });
      return newId;
    }, PRISMA_TX),
  );
}

/** The moved events' messages go to the new person's threads (one per channel); emptied threads go. */
async function moveMessages(tx: Tx, workspaceId: string, from: string, into: string, eventIds: string[]) {
  if (!eventIds.length) return;
  await tx.$executeRawUnsafe(
    `WITH moving AS (
       SELECT m.id, c.channel, m."occurredAt" FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
       WHERE m."profileId" = $2::uuid AND m."eventId" = ANY($4::uuid[])
     ),
     conv AS (
       INSERT INTO "Conversation" (id, "workspaceId", "profileId", channel, "startedAt", "lastMessageAt")
       SELECT gen_random_uuid(), $1::uuid, $3::uuid, channel, min("occurredAt"), max("occurredAt") FROM moving GROUP BY channel
       RETURNING id, channel
     )
     UPDATE "Message" m SET "conversationId" = conv.id, "profileId" = $3::uuid
     FROM moving JOIN conv ON conv.channel = moving.channel WHERE m.id = moving.id`,
    workspaceId,
    from,
    into,
    eventIds,
  );
  await tx.$executeRawUnsafe(
    `DELETE FROM "Conversation" c WHERE c."profileId" = $1::uuid AND NOT EXISTS (SELECT 1 FROM "Message" m WHERE m."conversationId" = c.id)`,
    from,
  );
  await tx.$executeRawUnsafe(
    `UPDATE "Conversation" c SET "startedAt" = s.first, "lastMessageAt" = s.last
     FROM (SELECT "conversationId", min("occurredAt") AS first, max("occurredAt") AS last FROM "Message"
           WHERE "profileId" = $1::uuid GROUP BY 1) s
     WHERE c.id = s."conversationId"`,
    from,
  );
}
