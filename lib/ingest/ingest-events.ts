import { createHash, randomUUID } from "node:crypto";
import { hashIdentifier } from "../crypto/keys.ts";
import type { Db, Tx } from "../db/client.ts";
import { mergeProfiles } from "../identity/merge-profiles.ts";
import { type IdentifierType, normalizeIdentifier, PRIORITY } from "../identity/normalize-identifier.ts";
import {
  BatchState,
  type EventIdentifier,
  type IdentifierState,
  type ProfileState,
} from "../identity/resolve-batch.ts";
import { campaignOf, type Touch, touchOf } from "../identity/touch.ts";
import { redactReferrer, redactUrl } from "../privacy/redact-url.ts";
import { summarizeEvent } from "../timeline/summarize-event.ts";
import type { IncomingEvent } from "./schemas.ts";
import { writeBatch } from "./write-batch.ts";

export interface WorkspaceForIngest {
  id: string;
  hashSalt: string;
  defaultCountry: string;
  blockedValues: string[];
}

export interface IngestResult {
  id: string;
  profileId: string | null;
  rung: number | null;
  duplicate: boolean;
  suppressed?: true;
}

const IDENTITY_FIELDS: [keyof IncomingEvent["identity"], IdentifierType][] = [
  ["accountId", "account"],
  ["email", "email"],
  ["phone", "phone"],
  ["deviceId", "device"],
];

export interface PreparedEvent {
  e: IncomingEvent;
  eventId: string;
  ids: EventIdentifier[];
  properties: Record<string, unknown>;
  campaign: Record<string, string> | null;
  body: string | null;
}

/** Normalises, hashes and redacts one event; pure apart from the keyed hash. */
export function prepareEvent(ws: WorkspaceForIngest, e: IncomingEvent): PreparedEvent {
  const ids: EventIdentifier[] = [];
  const rejected: Record<string, string> = {};
  for (const [field, type] of IDENTITY_FIELDS) {
    const raw = e.identity[field];
    if (raw === undefined) continue;
    const n = normalizeIdentifier(type, raw, { defaultCountry: ws.defaultCountry, blocked: ws.blockedValues });
    if (n.ok) ids.push({ type, value: n.value, hash: hashIdentifier(ws.hashSalt, type, n.value) });
    else if (n.reason === "invalid") rejected[field] = String(raw).slice(0, 320); // R1: kept as a property
  }
  ids.sort((a, b) => PRIORITY.indexOf(a.type) - PRIORITY.indexOf(b.type));
  const properties: Record<string, unknown> = { ...e.properties };
  if ("url" in properties) properties.url = redactUrl(properties.url) ?? undefined;
  if ("referrer" in properties) properties.referrer = redactReferrer(properties.referrer) ?? undefined;
  let body: string | null = null;
  if (e.source === "channel" && typeof properties.body === "string") {
    body = properties.body; // encrypted in its Message row (P13), not kept in plain text on the event
    delete properties.body;
  }
  if (Object.keys(rejected).length) properties.unrecognisedIdentity = rejected;
  return { e, eventId: randomUUID(), ids, properties, campaign: campaignOf(e), body };
}

/** A 64-bit advisory-lock key per identifier of a workspace (R8). */
function lockKey(workspaceId: string, type: string, hash: string) {
  return createHash("sha256").update(`${workspaceId}:${type}:${hash}`).digest().readBigInt64BE(0).toString();
}

/**
 * The ingest hot path (ARCHITECTURE.md): one transaction per batch — lock every identifier of the batch
 * (R8), load what exists in a few set-based queries, resolve all events in memory (lib/identity), then write
 * with multi-row statements. Duplicates by client id store nothing and answer `duplicate: true`.
 */
export async function ingestEvents(db: Db, ws: WorkspaceForIngest, events: IncomingEvent[]): Promise<IngestResult[]> {
  const prepared = events.map((e) => prepareEvent(ws, e));
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => ingestInTransaction(tx, ws, prepared), { timeout: 60_000, maxWait: 30_000 });
    } catch (error) {
      const code =
        (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      const retryable =
        code === "40P01" || code === "40001" || /deadlock detected/.test(String((error as Error).message));
      if (!retryable || attempt >= 4) throw error;
    }
  }
}

async function ingestInTransaction(tx: Tx, ws: WorkspaceForIngest, prepared: PreparedEvent[]): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(prepared.length);
  // R8: lock every identifier and client id of the batch first (sorted: no deadlocks between batches), so a
  // concurrent request with the same new identifier, or the same event, waits and then sees this one's rows.
  const allIds = dedupe(prepared.flatMap((p) => p.ids));
  const clientIds = [...new Set(prepared.map((p) => p.e.clientId))];
  const keys = [
    ...new Set([
      ...allIds.map((i) => lockKey(ws.id, i.type, i.hash)),
      ...clientIds.map((c) => lockKey(ws.id, "event", c)),
    ]),
  ].sort();
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k`, keys);

  // Duplicates: already stored, or repeated inside this batch (the first one counts).
  const stored = await tx.$queryRawUnsafe<{ clientId: string; profileId: string | null; rung: number }[]>(
    `SELECT "clientId", "profileId"::text, rung FROM "Event" WHERE "workspaceId" = $1::uuid AND "clientId" = ANY($2::text[])`,
    ws.id,
    clientIds,
  );
  const storedBy = new Map(stored.map((s) => [s.clientId, s]));
  const seen = new Set<string>();
  const work: { index: number; p: PreparedEvent }[] = [];
  prepared.forEach((p, index) => {
    const s = storedBy.get(p.e.clientId);
    if (s || seen.has(p.e.clientId)) return;
    seen.add(p.e.clientId);
    work.push({ index, p });
  });

  // R18: suppressed identifiers (opted out) drop the event.
  const suppressed = new Set(
    allIds.length
      ? (
          await tx.$queryRawUnsafe<{ k: string }[]>(
            `SELECT type::text || ':' || hash AS k FROM "Suppression" WHERE "workspaceId" = $1::uuid AND scope = 'all'
             AND (type::text, hash) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
            ws.id,
            allIds.map((i) => i.type),
            allIds.map((i) => i.hash),
          )
        ).map((r) => r.k)
      : [],
  );
  const live = work.filter(({ index, p }) => {
    if (!p.ids.some((i) => suppressed.has(`${i.type}:${i.hash}`))) return true;
    results[index] = { id: p.e.clientId, profileId: null, rung: null, duplicate: false, suppressed: true };
    return false;
  });

  const state = new BatchState();
  const ids = dedupe(live.flatMap((w) => w.p.ids));
  if (ids.length) await loadState(tx, ws.id, ids, state);

  const resolved: {
    index: number;
    p: PreparedEvent;
    profile: ProfileState | null;
    rung: number;
    touch: Touch | null;
  }[] = [];
  for (const { index, p } of live) {
    const touch = p.campaign ? touchOf(p.e.occurredAt, p.e.source, p.campaign) : null;
    if (!p.ids.length) {
      resolved.push({ index, p, profile: null, rung: 0, touch }); // only blocked or invalid values: no person (R2)
      continue;
    }
    const profile = state.resolve(p.ids, p.eventId, p.e.occurredAt);
    const rung = state.apply(profile, p.e, p.eventId, touch);
    resolved.push({ index, p, profile, rung, touch });
  }

  await writeBatch(tx, ws.id, state, resolved, mergeProfiles);

  for (const r of resolved) {
    results[r.index] = {
      id: r.p.e.clientId,
      profileId: r.profile ? state.live(r.profile.id) : null,
      rung: r.profile ? r.rung : null,
      duplicate: false,
    };
  }
  prepared.forEach((p, index) => {
    if (results[index]) return;
    const s = storedBy.get(p.e.clientId);
    const first = results.find((r) => r && r.id === p.e.clientId && !r.duplicate);
    results[index] = {
      id: p.e.clientId,
      profileId: s?.profileId ?? first?.profileId ?? null,
      rung: s?.rung ?? first?.rung ?? null,
      duplicate: true,
    };
  });
  return results;
}

function dedupe(ids: EventIdentifier[]) {
  const map = new Map<string, EventIdentifier>();
  for (const i of ids) map.set(`${i.type}:${i.hash}`, i);
  return [...map.values()];
}

/**
 * Loads the identifiers and profiles the batch touches, locking the profiles; repeats while a concurrent
 * merge moved something between the two reads (R8).
 */
async function loadState(tx: Tx, workspaceId: string, ids: EventIdentifier[], state: BatchState) {
  for (let round = 0; round < 5; round++) {
    const rows = await tx.$queryRawUnsafe<
      { id: string; type: IdentifierType; hash: string; profileId: string; shared: boolean }[]
    >(
      `SELECT id::text, type::text AS type, hash, "profileId"::text AS "profileId", shared FROM "Identifier"
       WHERE "workspaceId" = $1::uuid AND (type::text, hash) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      workspaceId,
      ids.map((i) => i.type),
      ids.map((i) => i.hash),
    );
    const profileIds = [...new Set(rows.map((r) => r.profileId))];
    const profiles = profileIds.length
      ? await tx.$queryRawUnsafe<
          {
            id: string;
            createdAt: Date;
            rung: number;
            customerNumber: number | null;
            visitCount: number;
            lastWebAt: Date | null;
            firstSeenAt: Date;
            lastSeenAt: Date;
            eventCount: number;
            firstTouch: Touch | null;
            lastTouch: Touch | null;
            emailEnc: string | null;
            phoneEnc: string | null;
            displayName: string | null;
            mergedIntoId: string | null;
          }[]
        >(
          `SELECT id::text, "createdAt", rung, "customerNumber", "visitCount", "lastWebAt", "firstSeenAt", "lastSeenAt", "eventCount",
             "firstTouch", "lastTouch", "emailEnc", "phoneEnc", "displayName", "mergedIntoId"::text AS "mergedIntoId"
           FROM "Profile" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
          profileIds,
        )
      : [];
    if (profiles.some((p) => p.mergedIntoId)) continue; // merged meanwhile: identifiers have moved, read again
    const counts = profileIds.length
      ? await tx.$queryRawUnsafe<{ profileId: string; type: IdentifierType; n: number; account: string | null }[]>(
          `SELECT "profileId"::text AS "profileId", type::text AS type, count(*)::int AS n, max(hash) FILTER (WHERE type = 'account') AS account
           FROM "Identifier" WHERE "profileId" = ANY($1::uuid[]) AND type <> 'device' GROUP BY 1, 2`,
          profileIds,
        )
      : [];
    const customerEvents = profileIds.length
      ? new Set(
          (
            await tx.$queryRawUnsafe<{ profileId: string }[]>(
              `SELECT DISTINCT "profileId"::text AS "profileId" FROM "ProfileRung" WHERE "profileId" = ANY($1::uuid[]) AND rung = 4`,
              profileIds,
            )
          ).map((r) => r.profileId),
        )
      : new Set<string>();
    for (const p of profiles) {
      const c = counts.filter((x) => x.profileId === p.id);
      const count = (t: IdentifierType) => c.find((x) => x.type === t)?.n ?? 0;
      state.profiles.set(p.id, {
        ...p,
        isNew: false,
        needsCustomerNumber: false,
        counts: { email: count("email"), phone: count("phone"), account: count("account") },
        accountHash: c.find((x) => x.type === "account")?.account ?? null,
        customerEvent: customerEvents.has(p.id),
        newRungs: [],
        touched: false,
      });
    }
    for (const r of rows) {
      const ident: IdentifierState = {
        ...r,
        isNew: false,
        changed: false,
        valueEnc: null,
        masked: null,
        firstEventId: null,
      };
      state.identifiers.set(state.key(r.type, r.hash), ident);
    }
    return;
  }
  throw Object.assign(new Error("Identifiers kept moving under concurrent merges"), { code: "40001" });
}

export { summarizeEvent };
