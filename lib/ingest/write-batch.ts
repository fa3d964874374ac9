import { randomUUID } from "node:crypto";
import { encrypt } from "../crypto/keys.ts";
import type { Tx } from "../db/client.ts";
import type { mergeProfiles as MergeFn } from "../identity/merge-profiles.ts";
import type { BatchState, ProfileState } from "../identity/resolve-batch.ts";
import type { Touch } from "../identity/touch.ts";
import { summarizeEvent } from "../timeline/summarize-event.ts";
import type { PreparedEvent } from "./ingest-events.ts";

interface Resolved {
  p: PreparedEvent;
  profile: ProfileState | null;
  rung: number;
  touch: Touch | null;
}

const MESSAGE_TYPES = new Set(["message_in", "message_out", "call_in", "call_out", "call_missed", "voicemail"]);
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** Writes a resolved batch with multi-row statements: a fixed number of round trips whatever its size. */
export async function writeBatch(
  tx: Tx,
  workspaceId: string,
  state: BatchState,
  resolved: Resolved[],
  mergeProfiles: typeof MergeFn,
) {
  const profiles = [...state.profiles.values()];

  // R12: the workspace's next customer numbers, taken atomically.
  const needing = profiles.filter((p) => p.needsCustomerNumber && p.customerNumber === null);
  if (needing.length) {
    const [{ first }] = (await tx.$queryRawUnsafe<{ first: number }[]>(
      `UPDATE "Workspace" SET "customerNumberNext" = "customerNumberNext" + $2 WHERE id = $1::uuid RETURNING "customerNumberNext" - $2 AS first`,
      workspaceId,
      needing.length,
    )) as [{ first: number }];
    needing.forEach((p, i) => {
      p.customerNumber = first + i;
    });
  }

  const fresh = profiles.filter((p) => p.isNew);
  if (fresh.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Profile" (id, "workspaceId", rung, "customerNumber", "displayName", "emailEnc", "phoneEnc", "firstTouch", "lastTouch",
         "firstSeenAt", "lastSeenAt", "visitCount", "lastWebAt", "eventCount", "createdAt", "updatedAt")
       SELECT id, $1::uuid, rung, cn, dn, ee, pe, ft::jsonb, lt::jsonb, fs, ls, vc, lw, ec, now(), now()
       FROM unnest($2::uuid[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[],
         $11::timestamptz[], $12::int[], $13::timestamptz[], $14::int[]) AS t(id, rung, cn, dn, ee, pe, ft, lt, fs, ls, vc, lw, ec)`,
      workspaceId,
      fresh.map((p) => p.id),
      fresh.map((p) => p.rung),
      fresh.map((p) => p.customerNumber),
      fresh.map((p) => p.displayName),
      fresh.map((p) => p.emailEnc),
      fresh.map((p) => p.phoneEnc),
      fresh.map((p) => json(p.firstTouch)),
      fresh.map((p) => json(p.lastTouch)),
      fresh.map((p) => p.firstSeenAt),
      fresh.map((p) => p.lastSeenAt),
      fresh.map((p) => p.visitCount),
      fresh.map((p) => p.lastWebAt),
      fresh.map((p) => p.eventCount),
    );
  }

  const idents = [...state.identifiers.values()];
  const newIds = idents.filter((i) => i.isNew);
  if (newIds.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Identifier" (id, "workspaceId", "profileId", type, hash, "valueEnc", masked, shared, "firstEventId", "createdAt", "lastSeenAt")
       SELECT id, $1::uuid, pid, t::"IdentifierType", h, v, m, s, fe, now(), now()
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::uuid[]) AS t(id, pid, t, h, v, m, s, fe)`,
      workspaceId,
      newIds.map((i) => i.id),
      newIds.map((i) => state.live(i.profileId)),
      newIds.map((i) => i.type),
      newIds.map((i) => i.hash),
      newIds.map((i) => i.valueEnc),
      newIds.map((i) => i.masked),
      newIds.map((i) => i.shared),
      newIds.map((i) => i.firstEventId),
    );
  }
  const changed = idents.filter((i) => !i.isNew && i.changed);
  if (changed.length) {
    await tx.$executeRawUnsafe(
      `UPDATE "Identifier" i SET "profileId" = t.pid, shared = t.s, "lastSeenAt" = now()
       FROM unnest($1::uuid[], $2::uuid[], $3::bool[]) AS t(id, pid, s) WHERE i.id = t.id`,
      changed.map((i) => i.id),
      changed.map((i) => state.live(i.profileId)),
      changed.map((i) => i.shared),
    );
  }

  for (const m of state.merges) {
    await mergeProfiles(tx, workspaceId, m.fromId, state.live(m.intoId), {
      eventId: m.eventId,
      kind: "auto",
      reason: "shared identifier",
    });
  }

  const rows = resolved;
  if (rows.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "Event" (id, "workspaceId", "profileId", "clientId", source, type, "occurredAt", "receivedAt", rung, channel, direction,
         "identityHashes", campaign, properties, summary)
       SELECT id, $1::uuid, pid, cid, src::"EventSource", t, at, now(), r, ch, dir, string_to_array(ih, ','), c::jsonb, pr::jsonb, sm
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::int[], $9::text[], $10::text[],
         $11::text[], $12::text[], $13::text[], $14::text[]) AS x(id, pid, cid, src, t, at, r, ch, dir, ih, c, pr, sm)
       ON CONFLICT ("workspaceId", "clientId") DO NOTHING`,
      workspaceId,
      rows.map((r) => r.p.eventId),
      rows.map((r) => (r.profile ? state.live(r.profile.id) : null)),
      rows.map((r) => r.p.e.clientId),
      rows.map((r) => r.p.e.source),
      rows.map((r) => r.p.e.type),
      rows.map((r) => r.p.e.occurredAt),
      rows.map((r) => r.rung),
      rows.map((r) => r.p.e.channel ?? null),
      rows.map((r) => r.p.e.direction ?? null),
      rows.map((r) => r.p.ids.map((i) => `${i.type}:${i.hash}`).join(",")),
      rows.map((r) => json(r.p.campaign)),
      rows.map((r) => JSON.stringify(r.p.properties)),
      rows.map((r) => summarizeEvent({ ...r.p.e, properties: r.p.properties })),
    );
  }

  const existing = [...state.profiles.values()].filter((p) => !p.isNew && p.touched);
  if (existing.length) {
    await tx.$executeRawUnsafe(
      `UPDATE "Profile" p SET rung = GREATEST(p.rung, t.rung), "customerNumber" = COALESCE(p."customerNumber", t.cn),
         "displayName" = COALESCE(p."displayName", t.dn), "emailEnc" = COALESCE(p."emailEnc", t.ee), "phoneEnc" = COALESCE(p."phoneEnc", t.pe),
         "firstTouch" = t.ft::jsonb, "lastTouch" = t.lt::jsonb, "firstSeenAt" = t.fs, "lastSeenAt" = t.ls, "visitCount" = t.vc,
         "lastWebAt" = t.lw, "eventCount" = t.ec, "updatedAt" = now()
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[],
         $10::timestamptz[], $11::int[], $12::timestamptz[], $13::int[]) AS t(id, rung, cn, dn, ee, pe, ft, lt, fs, ls, vc, lw, ec)
       WHERE p.id = t.id`,
      existing.map((p) => p.id),
      existing.map((p) => p.rung),
      existing.map((p) => p.customerNumber),
      existing.map((p) => p.displayName),
      existing.map((p) => p.emailEnc),
      existing.map((p) => p.phoneEnc),
      existing.map((p) => json(p.firstTouch)),
      existing.map((p) => json(p.lastTouch)),
      existing.map((p) => p.firstSeenAt),
      existing.map((p) => p.lastSeenAt),
      existing.map((p) => p.visitCount),
      existing.map((p) => p.lastWebAt),
      existing.map((p) => p.eventCount),
    );
  }

  const rungs = [...state.profiles.values()].flatMap((p) => p.newRungs.map((r) => ({ ...r, profileId: p.id })));
  if (rungs.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "ProfileRung" ("profileId", rung, "reachedAt", "eventId")
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::uuid[]) ON CONFLICT DO NOTHING`,
      rungs.map((r) => r.profileId),
      rungs.map((r) => r.rung),
      rungs.map((r) => r.reachedAt),
      rungs.map((r) => r.eventId),
    );
  }

  const links = state.links;
  if (links.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "IdentityLink" (id, "workspaceId", "profileId", "identifierId", type, hash, "eventId", action, reason, "createdAt")
       SELECT gen_random_uuid(), $1::uuid, pid, iid, t::"IdentifierType", h, eid, a, r, now()
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[]) AS x(pid, iid, t, h, eid, a, r)`,
      workspaceId,
      links.map((l) => state.live(l.profileId)),
      links.map((l) => l.identifierId),
      links.map((l) => l.type),
      links.map((l) => l.hash),
      links.map((l) => l.eventId),
      links.map((l) => l.action),
      links.map((l) => l.reason ?? null),
    );
  }

  for (const r of state.refused) {
    await tx.profileMerge.create({
      data: {
        workspaceId,
        fromProfileId: state.live(r.fromId),
        intoProfileId: state.live(r.intoId),
        eventId: r.eventId,
        kind: "refused",
        reason: r.reason,
      },
    });
  }

  await writeMessages(tx, workspaceId, state, resolved);
}

/** Conversation events become messages on the person's thread for that channel (bodies encrypted, P13). */
async function writeMessages(tx: Tx, workspaceId: string, state: BatchState, resolved: Resolved[]) {
  const msgs = resolved.filter(
    (r) => r.profile && r.p.e.source === "channel" && r.p.e.channel && MESSAGE_TYPES.has(r.p.e.type),
  );
  if (!msgs.length) return;
  const threads = new Map<string, { profileId: string; channel: string; first: Date; last: Date }>();
  for (const r of msgs) {
    const profileId = state.live((r.profile as ProfileState).id);
    const key = `${profileId}:${r.p.e.channel}`;
    const t = threads.get(key);
    if (!t)
      threads.set(key, {
        profileId,
        channel: r.p.e.channel as string,
        first: r.p.e.occurredAt,
        last: r.p.e.occurredAt,
      });
    else {
      if (r.p.e.occurredAt < t.first) t.first = r.p.e.occurredAt;
      if (r.p.e.occurredAt > t.last) t.last = r.p.e.occurredAt;
    }
  }
  const list = [...threads.values()];
  const convs = await tx.$queryRawUnsafe<{ id: string; profileId: string; channel: string }[]>(
    `INSERT INTO "Conversation" (id, "workspaceId", "profileId", channel, "startedAt", "lastMessageAt")
     SELECT gen_random_uuid(), $1::uuid, pid, ch, f, l FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS t(pid, ch, f, l)
     ON CONFLICT ("profileId", channel) DO UPDATE SET "lastMessageAt" = GREATEST("Conversation"."lastMessageAt", EXCLUDED."lastMessageAt"),
       "startedAt" = LEAST("Conversation"."startedAt", EXCLUDED."startedAt")
     RETURNING id::text, "profileId"::text AS "profileId", channel`,
    workspaceId,
    list.map((t) => t.profileId),
    list.map((t) => t.channel),
    list.map((t) => t.first),
    list.map((t) => t.last),
  );
  const convBy = new Map(convs.map((c) => [`${c.profileId}:${c.channel}`, c.id]));
  await tx.$executeRawUnsafe(
    `INSERT INTO "Message" (id, "workspaceId", "conversationId", "profileId", "eventId", direction, "bodyEnc", agent, "occurredAt")
     SELECT gen_random_uuid(), $1::uuid, cid, pid, eid, d, b, a, at
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::timestamptz[]) AS t(cid, pid, eid, d, b, a, at)`,
    workspaceId,
    msgs.map((r) => convBy.get(`${state.live((r.profile as ProfileState).id)}:${r.p.e.channel}`) ?? randomUUID()),
    msgs.map((r) => state.live((r.profile as ProfileState).id)),
    msgs.map((r) => r.p.eventId),
    msgs.map((r) => r.p.e.direction ?? (r.p.e.type.endsWith("_out") ? "out" : "in")),
    msgs.map((r) => (r.p.body ? encrypt(r.p.body) : null)),
    msgs.map((r) => (typeof r.p.properties.agent === "string" ? r.p.properties.agent : null)),
    msgs.map((r) => r.p.e.occurredAt),
  );
}
