import { encrypt } from "../crypto/keys.ts";
import { preparedStatement, type Sql } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { allocateCustomerNumbers } from "../identity/customer-numbers.ts";
import type { IdentityState, ProfileState } from "../identity/identity-state.ts";
import { maskIdentifier } from "../identity/mask-identifier.ts";
import { parseIdentifierKey } from "../identity/types.ts";
import type { PreparedEvent } from "./prepare-events.ts";

export interface StoredEvent {
  event: PreparedEvent;
  profile: ProfileState | null;
  rung: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * AES-GCM sealing with a cache per batch: the same value is sealed once. Ingestion seals the batch's values
 * before it takes its locks, so the write under lock only looks them up.
 */
export function sealer(known?: Map<string, string>) {
  const cache = known ?? new Map<string, string>();
  return Object.assign(
    (value: string) => {
      let s = cache.get(value);
      if (!s) {
        s = encrypt(value);
        cache.set(value, s);
      }
      return s;
    },
    { cache },
  );
}

/**
 * Writes a resolved batch in ONE statement (data-modifying CTEs over one JSON parameter per table): new profiles and
 * identifiers, changed identifiers, the events (`ON CONFLICT (workspaceId, clientId) DO NOTHING`), threads
 * and encrypted messages, the profiles' aggregates once each, rungs reached, customer numbers (R12), the
 * identity log, merge records and the devices that landed with a tracked link's click id. Returns the client ids actually inserted. Profiles and identifiers are updated
 * by primary key only: their ids come from rows this transaction read and locked within the workspace.
 */
export async function writeBatch(
  tx: Sql,
  workspaceId: string,
  state: IdentityState,
  stored: StoredEvent[],
  seal: (value: string) => string = sealer(),
) {
  const live = (p: ProfileState) => state.find(p.id);

  const numbered = [...state.profiles.values()]
    .filter((p) => !p.mergedInto && p.customerNumber === null && p.rung === 4 && p.numberOrder !== null)
    .sort((a, b) => (a.numberOrder ?? 0) - (b.numberOrder ?? 0));

  const profileRow = (p: ProfileState) => {
    const emailEnc = p.emailEnc ?? (p.pendingEmail ? seal(p.pendingEmail) : null);
    const phoneEnc = p.phoneEnc ?? (p.pendingPhone ? seal(p.pendingPhone) : null);
    const displayName =
      p.displayName ??
      (p.pendingEmail
        ? maskIdentifier("email", p.pendingEmail)
        : p.pendingPhone
          ? maskIdentifier("phone", p.pendingPhone)
          : null);
    return {
      id: p.id,
      rung: p.rung,
      displayName,
      emailEnc,
      phoneEnc,
      firstTouch: p.firstTouch,
      lastTouch: p.lastTouch,
      firstSeenAt: iso(p.firstSeenAt),
      lastSeenAt: iso(p.lastSeenAt),
      visitCount: p.visitCount,
      lastWebAt: iso(p.lastWebAt),
      eventCount: p.eventCount,
      mergedIntoId: p.mergedInto ? live(p).id : null,
      mergedAt: p.mergedAt?.toISOString() ?? null,
    };
  };
  const profiles = [...state.profiles.values()].filter((p) => p.touched);
  const newProfiles = profiles.filter((p) => p.isNew).map(profileRow);
  const updProfiles = profiles.filter((p) => !p.isNew).map(profileRow);

  const newIdents = [];
  const updIdents = [];
  for (const i of state.identifiers.values()) {
    const owner = state.ownerOf(i).id;
    if (i.isNew) {
      newIdents.push({
        id: i.id,
        profileId: owner,
        type: i.type,
        hash: i.hash,
        valueEnc: i.value === null ? null : seal(i.value),
        masked: i.value === null ? null : maskIdentifier(i.type, i.value),
        shared: i.shared,
        firstEventId: i.firstEventId,
        lastSeenAt: iso(i.lastSeenAt),
      });
    } else if (i.changed) {
      updIdents.push({ id: i.id, profileId: owner, shared: i.shared, lastSeenAt: iso(i.lastSeenAt) });
    }
  }

  const events = [];
  const conversations = new Map<
    string,
    { id: string; profileId: string; channel: string; startedAt: string; lastMessageAt: string }
  >();
  const messages = [];
  for (const s of stored) {
    const e = s.event;
    const profileId = s.profile ? live(s.profile).id : null;
    events.push({
      id: e.eventId,
      profileId,
      clientId: e.clientId,
      source: e.source,
      type: e.type,
      occurredAt: e.occurredAt.toISOString(),
      rung: s.rung,
      channel: e.channel,
      direction: e.direction,
      identityHashes: e.identityHashes,
      campaign: e.campaign,
      properties: e.properties,
      summary: e.summary,
    });
    if (e.message && profileId) {
      const at = e.occurredAt.toISOString();
      const key = `${profileId}|${e.message.channel}`;
      const c = conversations.get(key);
      if (!c)
        conversations.set(key, {
          id: uuidv7(),
          profileId,
          channel: e.message.channel,
          startedAt: at,
          lastMessageAt: at,
        });
      else {
        if (at < c.startedAt) c.startedAt = at;
        if (at > c.lastMessageAt) c.lastMessageAt = at;
      }
      messages.push({
        id: uuidv7(),
        profileId,
        channel: e.message.channel,
        eventId: e.eventId,
        direction: e.message.direction,
        bodyEnc: seal(e.message.body),
        agent: e.message.agent,
        status: e.message.status,
        externalId: e.message.externalId,
        occurredAt: at,
      });
    }
  }

  const rungs = new Map<string, { profileId: string; rung: number; reachedAt: string; eventId: string | null }>();
  for (const p of state.profiles.values()) {
    const profileId = live(p).id;
    for (const r of p.reached) {
      const key = `${profileId}|${r.rung}`;
      const at = r.reachedAt.toISOString();
      const prev = rungs.get(key);
      if (!prev || at < prev.reachedAt) rungs.set(key, { profileId, rung: r.rung, reachedAt: at, eventId: r.eventId });
    }
  }

  const links = state.links.map((l) => ({ id: uuidv7(), ...l }));
  // R14: which device landed with a tracked link's click id (the first one to report it keeps it).
  const clicks = stored.flatMap(({ event: e }) => {
    const device = e.linkClickId ? e.identifiers.find((i) => i.type === "device") : undefined;
    return device ? [{ clickId: e.linkClickId, deviceHash: device.hash }] : [];
  });
  const merges = state.merges.map((m) => ({
    id: uuidv7(),
    fromProfileId: m.from,
    intoProfileId: m.into,
    eventId: m.eventId,
    kind: m.kind,
    reason: m.reason,
    identifiers: m.keys.map(parseIdentifierKey),
  }));

  const sections = [
    newProfiles,
    updProfiles,
    newIdents,
    updIdents,
    events,
    [...conversations.values()],
    messages,
    [...rungs.values()],
    links,
    merges,
    clicks,
  ].map((rows) => JSON.stringify(rows));
  const [row] = await tx.$queryRawUnsafe<{ inserted: string[] }[]>(WRITE_SQL, workspaceId, ...sections);
  // R12, last and apart: the workspace's counter row stays locked only from here to the commit, so
  // concurrent batches of other people do not queue behind each other's whole write.
  await allocateCustomerNumbers(
    tx,
    workspaceId,
    numbered.map((p) => p.id),
  );
  return new Set(row?.inserted ?? []);
}

const PROFILE_RECORD = `id uuid, rung int, "displayName" text, "emailEnc" text, "phoneEnc" text, "firstTouch" jsonb,
  "lastTouch" jsonb, "firstSeenAt" timestamptz, "lastSeenAt" timestamptz, "visitCount" int, "lastWebAt" timestamptz,
  "eventCount" int, "mergedIntoId" uuid, "mergedAt" timestamptz`;

const WRITE_SQL = preparedStatement(`
WITH
np AS (
  INSERT INTO "Profile" (id, "workspaceId", rung, "customerNumber", "displayName", "emailEnc", "phoneEnc", "firstTouch",
    "lastTouch", "firstSeenAt", "lastSeenAt", "visitCount", "lastWebAt", "eventCount", "mergedIntoId", "mergedAt", "updatedAt")
  SELECT x.id, $1::uuid, x.rung, NULL, x."displayName", x."emailEnc", x."phoneEnc", x."firstTouch",
    x."lastTouch", x."firstSeenAt", x."lastSeenAt", x."visitCount", x."lastWebAt", x."eventCount", x."mergedIntoId", x."mergedAt", now()
  FROM jsonb_to_recordset($2::jsonb) AS x(${PROFILE_RECORD})
),
up AS (
  UPDATE "Profile" p SET rung = GREATEST(p.rung, x.rung),
    "displayName" = COALESCE(p."displayName", x."displayName"), "emailEnc" = COALESCE(p."emailEnc", x."emailEnc"),
    "phoneEnc" = COALESCE(p."phoneEnc", x."phoneEnc"), "firstTouch" = x."firstTouch", "lastTouch" = x."lastTouch",
    "firstSeenAt" = x."firstSeenAt", "lastSeenAt" = x."lastSeenAt", "visitCount" = x."visitCount", "lastWebAt" = x."lastWebAt",
    "eventCount" = x."eventCount", "mergedIntoId" = COALESCE(x."mergedIntoId", p."mergedIntoId"),
    "mergedAt" = COALESCE(x."mergedAt", p."mergedAt"), "updatedAt" = now()
  FROM jsonb_to_recordset($3::jsonb) AS x(${PROFILE_RECORD})
  WHERE p.id = x.id
),
ni AS (
  INSERT INTO "Identifier" (id, "workspaceId", "profileId", type, hash, "valueEnc", masked, shared, "firstEventId", "lastSeenAt")
  SELECT x.id, $1::uuid, x."profileId", x.type::"IdentifierType", x.hash, x."valueEnc", x.masked, x.shared, x."firstEventId", x."lastSeenAt"
  FROM jsonb_to_recordset($4::jsonb) AS x(id uuid, "profileId" uuid, type text, hash text,
    "valueEnc" text, masked text, shared boolean, "firstEventId" uuid, "lastSeenAt" timestamptz)
),
ui AS (
  UPDATE "Identifier" i SET "profileId" = x."profileId", shared = i.shared OR x.shared,
    "lastSeenAt" = GREATEST(i."lastSeenAt", x."lastSeenAt")
  FROM jsonb_to_recordset($5::jsonb) AS x(id uuid, "profileId" uuid, shared boolean, "lastSeenAt" timestamptz)
  WHERE i.id = x.id
),
ev AS (
  INSERT INTO "Event" (id, "workspaceId", "profileId", "clientId", source, type, "occurredAt", rung, channel, direction,
    "identityHashes", campaign, properties, summary)
  SELECT x.id, $1::uuid, x."profileId", x."clientId", x.source::"EventSource", x.type, x."occurredAt", x.rung, x.channel,
    x.direction, x."identityHashes", x.campaign, COALESCE(x.properties, '{}'::jsonb), x.summary
  FROM jsonb_to_recordset($6::jsonb) AS x(id uuid, "profileId" uuid, "clientId" text, source text, type text,
    "occurredAt" timestamptz, rung int, channel text, direction text, "identityHashes" text[], campaign jsonb, properties jsonb,
    summary text)
  ON CONFLICT ("workspaceId", "clientId") DO NOTHING
  RETURNING id, "clientId"
),
cv AS (
  INSERT INTO "Conversation" (id, "workspaceId", "profileId", channel, "startedAt", "lastMessageAt")
  SELECT x.id, $1::uuid, x."profileId", x.channel, x."startedAt", x."lastMessageAt"
  FROM jsonb_to_recordset($7::jsonb) AS x(id uuid, "profileId" uuid, channel text,
    "startedAt" timestamptz, "lastMessageAt" timestamptz)
  ON CONFLICT ("profileId", channel) DO UPDATE SET "startedAt" = LEAST("Conversation"."startedAt", EXCLUDED."startedAt"),
    "lastMessageAt" = GREATEST("Conversation"."lastMessageAt", EXCLUDED."lastMessageAt")
  RETURNING id, "profileId", channel
),
ms AS (
  INSERT INTO "Message" (id, "workspaceId", "conversationId", "profileId", "eventId", direction, "bodyEnc", agent, status,
    "externalId", "occurredAt")
  SELECT x.id, $1::uuid, cv.id, x."profileId", x."eventId", x.direction, x."bodyEnc", x.agent, x.status, x."externalId", x."occurredAt"
  FROM jsonb_to_recordset($8::jsonb) AS x(id uuid, "profileId" uuid, channel text, "eventId" uuid,
    direction text, "bodyEnc" text, agent text, status text, "externalId" text, "occurredAt" timestamptz)
  JOIN cv ON cv."profileId" = x."profileId" AND cv.channel = x.channel
  -- Only messages of events stored just now; one array built once (the transaction plans without hash joins).
  WHERE x."eventId" = ANY((SELECT array_agg(id) FROM ev)::uuid[])
),
pr AS (
  INSERT INTO "ProfileRung" ("profileId", rung, "reachedAt", "eventId")
  SELECT x."profileId", x.rung, x."reachedAt", x."eventId"
  FROM jsonb_to_recordset($9::jsonb) AS x("profileId" uuid, rung int, "reachedAt" timestamptz, "eventId" uuid)
  ON CONFLICT ("profileId", rung) DO UPDATE SET "reachedAt" = EXCLUDED."reachedAt", "eventId" = EXCLUDED."eventId"
  WHERE EXCLUDED."reachedAt" < "ProfileRung"."reachedAt"
),
il AS (
  INSERT INTO "IdentityLink" (id, "workspaceId", "profileId", "identifierId", type, hash, "eventId", action, reason)
  SELECT x.id, $1::uuid, x."profileId", x."identifierId", x.type::"IdentifierType", x.hash, x."eventId", x.action, x.reason
  FROM jsonb_to_recordset($10::jsonb) AS x(id uuid, "profileId" uuid, "identifierId" uuid, type text, hash text,
    "eventId" uuid, action text, reason text)
),
pm AS (
  INSERT INTO "ProfileMerge" (id, "workspaceId", "fromProfileId", "intoProfileId", "eventId", kind, reason, identifiers)
  SELECT x.id, $1::uuid, x."fromProfileId", x."intoProfileId", x."eventId", x.kind, x.reason, COALESCE(x.identifiers, '[]'::jsonb)
  FROM jsonb_to_recordset($11::jsonb) AS x(id uuid, "fromProfileId" uuid, "intoProfileId" uuid, "eventId" uuid,
    kind text, reason text, identifiers jsonb)
),
-- Driven from the batch's click ids, one probe of the clickId key each: joined the other way round, every
-- batch read all the workspace's unjoined clicks (48 ms at 50,000 of them, whether the batch had a click or not).
-- The probe names the click id alone, so a generic plan of this prepared statement cannot take the workspace's
-- index instead; the workspace and the free device are tested on the row found.
lc AS (
  UPDATE "LinkClick" l SET "deviceHash" = t."deviceHash"
  FROM (SELECT c.id, x."deviceHash" FROM jsonb_to_recordset($12::jsonb) AS x("clickId" text, "deviceHash" text)
        CROSS JOIN LATERAL (SELECT c.id, c."workspaceId", c."deviceHash" FROM "LinkClick" c
          WHERE c."clickId" = x."clickId" LIMIT 1) c
        WHERE c."workspaceId" = $1::uuid AND c."deviceHash" IS NULL) t
  WHERE l.id = t.id
)
SELECT coalesce(array_agg("clientId"), '{}') AS inserted FROM ev`);
