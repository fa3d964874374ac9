import { z } from "zod";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Db, Tx } from "../db/client.ts";
import { PRISMA_TX } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { badRequest } from "../errors.ts";
import { allocateCustomerNumbers } from "./customer-numbers.ts";
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
  const wanted = identifiers.map((given, n) => {
    const h = hashGivenIdentifier(given.type, given.value, ctx);
    if (!h)
      throw badRequest(`identifiers[${n}].value: not a usable ${given.type}`, [
        { path: `identifiers[${n}].value`, message: `is not a usable ${given.type}` },
      ]);
    return { path: `identifiers[${n}]`, key: identifierKey(h.type, h.hash) };
  });
  return splitProfileKeys(db, workspace.id, profileId, wanted, options);
}

/**
 * The owner's split (the person page): the identifiers picked by their row ids — devices included, which
 * have no readable value to send — then exactly as `splitProfile`. Returns null when there is no such person.
 */
export async function splitProfileByIdentifierIds(
  db: Db,
  workspaceId: string,
  profileId: string,
  identifierIds: string[],
  options: { byUserId?: string | null } = {},
): Promise<string | null> {
  const rows = await db.identifier.findMany({
    where: { workspaceId, id: { in: identifierIds } },
    select: { id: true, type: true, hash: true, profileId: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const holder = rows[0]?.profileId;
  if (
    holder &&
    (await db.identifier.count({ where: { workspaceId, profileId: holder } })) <= new Set(identifierIds).size
  )
    throw badRequest("identifierIds: keep at least one identifier with this person", [
      { path: "identifierIds", message: "would leave this person with no identifier" },
    ]);
  const wanted = identifierIds.map((id, n) => {
    const row = byId.get(id);
    if (!row)
      throw badRequest(`identifierIds[${n}]: this profile does not hold that identifier`, [
        { path: `identifierIds[${n}]`, message: "is not held by this profile" },
      ]);
    return { path: `identifierIds[${n}]`, key: identifierKey(row.type, row.hash) };
  });
  return splitProfileKeys(db, workspaceId, profileId, wanted, options);
}

async function splitProfileKeys(
  db: Db,
  workspaceId: string,
  profileId: string,
  wanted: { path: string; key: string }[],
  options: { byUserId?: string | null },
): Promise<string | null> {
  return withRetry(() =>
    db.$transaction(async (tx) => {
      const [live] = (await lockLiveProfiles(tx, workspaceId, [profileId])) ?? [];
      if (!live) return null;
      const id = live.id;
      const held: HeldRow[] = await tx.identifier.findMany({
        where: { workspaceId, profileId: id },
        select: { id: true, type: true, hash: true, valueEnc: true, createdAt: true },
      });
      const heldKeys = new Set(held.map((h) => identifierKey(h.type, h.hash)));
      for (const w of wanted) {
        if (!heldKeys.has(w.key)) {
          throw badRequest(`${w.path}: this profile does not hold that identifier`, [
            { path: w.path, message: "is not held by this profile" },
          ]);
        }
      }
      const moved = new Set(wanted.map((w) => w.key));
      const kept = new Set([...heldKeys].filter((k) => !moved.has(k)));
      const candidates: LadderEvent[] = await tx.event.findMany({
        where: { workspaceId, profileId: id, identityHashes: { hasSome: [...moved] } },
        select: { id: true, occurredAt: true, source: true, type: true, identityHashes: true },
      });
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
      await tx.identifier.updateMany({
        where: { workspaceId, profileId: id, id: { in: movedRows.map((r) => r.id) } },
        data: { profileId: newId },
      });
      const ids = movedEvents.map((e) => e.id);
      // Each moved event gets the rung the replay gave it (R11 as if never merged): one update per rung.
      const byRung = new Map<number, string[]>();
      for (const e of ids) {
        const rung = replay.rungs.get(e) ?? 0;
        byRung.set(rung, [...(byRung.get(rung) ?? []), e]);
      }
      for (const [rung, eventIds] of byRung) {
        await tx.event.updateMany({ where: { workspaceId, id: { in: eventIds } }, data: { profileId: newId, rung } });
      }
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
      const left = await tx.profile.findUniqueOrThrow({
        where: { id },
        select: { rung: true, visitCount: true, customerNumber: true, emailEnc: true, phoneEnc: true },
      });
      const rung4 = await tx.event.findFirst({
        where: { workspaceId, profileId: id, type: { in: [...RUNG4_TYPES] } },
        select: { id: true },
      });
      const count = (type: IdentifierType) => keptRows.filter((r) => r.type === type).length;
      const leftRung = Math.min(
        left.rung,
        climb(
          0,
          { email: count("email"), phone: count("phone"), account: count("account") },
          left.visitCount,
          rung4 ? "payment_succeeded" : undefined,
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
      const moveNumber = replay.rung === 4 && leftRung < 4 && leftNumber !== null;
      if (moveNumber) {
        newNumber = leftNumber;
        leftNumber = null;
      }
      const relabel = emailEnc !== left.emailEnc || phoneEnc !== left.phoneEnc;
      await tx.profile.update({
        where: { id },
        data: {
          rung: leftRung,
          customerNumber: leftNumber,
          emailEnc,
          phoneEnc,
          ...(relabel ? { displayName: label(keptEmail) ?? label(keptPhone) } : {}),
        },
      });
      if (newNumber !== null) await tx.profile.update({ where: { id: newId }, data: { customerNumber: newNumber } });
      else if (replay.rung === 4) await allocateCustomerNumbers(tx, workspaceId, [newId]);
      await tx.profileRung.deleteMany({ where: { profileId: id, rung: { gt: leftRung } } });

      // The merges this split undoes: those into the profile whose moved identifiers all left with it.
      const movedList = [...moved].map(parseIdentifierKey);
      const merges = await tx.profileMerge.findMany({
        where: { workspaceId, intoProfileId: id, kind: { in: ["auto", "manual"] }, undoneAt: null },
        select: { id: true, identifiers: true },
      });
      const undone = merges.filter((m) => {
        const keys = (m.identifiers as { type: IdentifierType; hash: string }[]).map((x) =>
          identifierKey(x.type, x.hash),
        );
        return keys.length > 0 && keys.every((k) => moved.has(k));
      });
      if (undone.length) {
        await tx.profileMerge.updateMany({
          where: { id: { in: undone.map((m) => m.id) } },
          data: { undoneAt: new Date() },
        });
      }
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
  const moving = await tx.message.findMany({
    where: { workspaceId, profileId: from, eventId: { in: eventIds } },
    select: { id: true, occurredAt: true, conversation: { select: { channel: true } } },
  });
  const byChannel = new Map<string, typeof moving>();
  for (const m of moving) byChannel.set(m.conversation.channel, [...(byChannel.get(m.conversation.channel) ?? []), m]);
  for (const [channel, messages] of byChannel) {
    const times = messages.map((m) => m.occurredAt.getTime());
    const thread = await tx.conversation.create({
      data: {
        id: uuidv7(),
        workspaceId,
        profileId: into,
        channel,
        startedAt: new Date(Math.min(...times)),
        lastMessageAt: new Date(Math.max(...times)),
      },
    });
    await tx.message.updateMany({
      where: { id: { in: messages.map((m) => m.id) } },
      data: { conversationId: thread.id, profileId: into },
    });
  }
  if (!byChannel.size) return;
  await tx.conversation.deleteMany({ where: { workspaceId, profileId: from, messages: { none: {} } } });
  // The threads left behind span what they still hold.
  const spans = await tx.message.groupBy({
    by: ["conversationId"],
    where: { workspaceId, profileId: from },
    _min: { occurredAt: true },
    _max: { occurredAt: true },
  });
  for (const s of spans) {
    if (!s._min.occurredAt || !s._max.occurredAt) continue;
    await tx.conversation.update({
      where: { id: s.conversationId },
      data: { startedAt: s._min.occurredAt, lastMessageAt: s._max.occurredAt },
    });
  }
}
