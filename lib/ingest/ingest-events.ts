import { z } from "zod";
import type { Db } from "../db/client.ts";
import { type Sql, sqlTransaction } from "../db/raw-sql.ts";
import { TRANSIENT, withRetry } from "../db/retry.ts";
import { moveProfileRows } from "../identity/merge-profiles.ts";
import { refreshProfiles } from "../identity/refresh-profiles.ts";
import { resolveIdentity } from "../identity/resolve-identity.ts";
import { nudgeAfterCommit } from "../nudges/nudge-on-ingest.ts";
import { recordNames } from "../people/record-names.ts";
import { isTrackingEvent, strippedOfIdentity } from "../privacy/tracking-opt-out.ts";
import { enqueueConversions } from "../sendback/enqueue-conversions.ts";
import { loadBatch, POINT_LOOKUPS_ONLY } from "./load-batch.ts";
import { type IngestWorkspace, identityContext } from "./load-workspace.ts";
import { type PreparedEvent, prepareEvent } from "./prepare-events.ts";
import { eventSchema, type IngestEvent, type IngestEventInput, LIMITS } from "./schemas.ts";
import { type StoredEvent, sealer, writeBatch } from "./write-batch.ts";

/** The answer for one event, in request order (API.md). */
export interface IngestResult {
  id: string;
  /** Null when the event was dropped (suppressed, R18) or carried no usable identifier (R2). */
  profileId: string | null;
  rung: number | null;
  duplicate: boolean;
}

const batchSchema = z.object({ events: z.array(eventSchema).min(1) });

/**
 * The hot path (ARCHITECTURE.md): validate the whole batch first (a ZodError naming `events[i]…` and nothing
 * stored), then one transaction per 500 events: lock and read every identifier of the batch at once, resolve
 * each event in memory (IDENTITY.md), write everything in one statement, commit, answer in request order.
 */
export async function ingestEvents(
  db: Db,
  workspace: IngestWorkspace,
  input: readonly (IngestEventInput | IngestEvent)[],
): Promise<IngestResult[]> {
  return ingestValidated(db, workspace, validateEvents(input));
}

/** The events checked against `eventSchema` as one batch (a ZodError names `events[i]…`). */
export function validateEvents(input: readonly (IngestEventInput | IngestEvent)[]): IngestEvent[] {
  const events = batchSchema.parse({ events: input }).events as IngestEvent[];
  // The trust mark is no wire field (the schema drops it): it goes along from the caller's own objects.
  events.forEach((e, i) => {
    if (input[i]?.trusted === false) e.trusted = false;
  });
  return events;
}

/** The same for events already parsed with `eventSchema` (a route's body): no second validation. */
export async function ingestValidated(
  db: Db,
  workspace: IngestWorkspace,
  events: readonly IngestEvent[],
): Promise<IngestResult[]> {
  return commitBatch(db, workspace.id, prepareBatch(workspace, events));
}

/** A batch made ready outside any transaction: identities hashed, URLs cleaned, message bodies sealed. */
export interface PreparedBatch {
  events: PreparedEvent[];
  sealed: Map<string, string>;
}

export function prepareBatch(workspace: IngestWorkspace, events: readonly IngestEvent[]): PreparedBatch {
  const ctx = identityContext(workspace);
  const prepared = events.map((e, i) => prepareEvent(e, i, ctx));
  // Message bodies are always written: seal them before any lock. Identifier values are sealed at write
  // time, and only those new to the workspace (most of a batch's identifiers are already known).
  const seal = sealer();
  for (const e of prepared) if (e.message) seal(e.message.body);
  return { events: prepared, sealed: seal.cache };
}

/** Stores a prepared batch: one transaction per `perTransaction` events, answers in order. */
export async function commitBatch(
  db: Db,
  workspaceId: string,
  batch: PreparedBatch,
  perTransaction: number = LIMITS.eventsPerRequest,
): Promise<IngestResult[]> {
  const seal = sealer(batch.sealed);
  const results: IngestResult[] = [];
  for (let from = 0; from < batch.events.length; from += perTransaction) {
    const chunk = batch.events.slice(from, from + perTransaction);
    const stored = await withRetry(
      () => sqlTransaction(db, (sql) => ingestChunk(sql, workspaceId, chunk, seal), POINT_LOOKUPS_ONLY),
      { attempts: 4, codes: RETRYABLE },
    );
    results.push(...stored);
    // After the commit, never inside it (decision 020): nothing for most batches, one statement at most.
    await nudgeAfterCommit(db, workspaceId, chunk, stored);
  }
  return results;
}

async function ingestChunk(
  tx: Sql,
  workspaceId: string,
  events: PreparedEvent[],
  seal: (value: string) => string,
): Promise<IngestResult[]> {
  const first = new Map<string, PreparedEvent>();
  const unique: PreparedEvent[] = [];
  for (const e of events) {
    if (first.has(e.clientId)) continue;
    first.set(e.clientId, e);
    unique.push(e);
  }
  const { state, existing, suppressed, untracked, linkProfiles } = await loadBatch(tx, workspaceId, unique);

  const outcome = new Map<string, IngestResult>();
  const stored: StoredEvent[] = [];
  const rungsBefore = new Map<string, number>();
  for (const given of unique) {
    const before = existing.get(given.clientId);
    if (before) {
      outcome.set(given.clientId, {
        id: given.clientId,
        profileId: before.profileId,
        rung: before.rung,
        duplicate: true,
      });
      continue;
    }
    // R18, decision 014: opted out of everything, dropped; of tracking, a tracking event is kept but tied to nobody.
    if (given.identityHashes.some((k) => suppressed.has(k))) {
      outcome.set(given.clientId, { id: given.clientId, profileId: null, rung: null, duplicate: false });
      continue;
    }
    const e =
      untracked.size && isTrackingEvent(given.source, given.type) && given.identityHashes.some((k) => untracked.has(k))
        ? strippedOfIdentity(given)
        : given;
    const link = e.linkClickId ? (linkProfiles.get(e.linkClickId) ?? null) : null;
    const profile = resolveIdentity(state, {
      eventId: e.eventId,
      occurredAt: e.occurredAt,
      identifiers: e.identifiers,
      linkProfileId: link,
      trusted: e.trusted,
    });
    const rungBefore = profile ? profile.rung : 0;
    const rung = profile ? state.applyEvent(profile, { ...e, id: e.eventId }) : 0;
    stored.push({ event: e, profile, rung });
    if (profile) rungsBefore.set(e.clientId, rungBefore);
  }

  // R6: rows of profiles merged away by this batch move before the batch's own rows are written.
  for (const m of state.merges) {
    const from = state.profiles.get(m.from);
    const into = state.profiles.get(m.into);
    if (m.kind !== "auto" || !from || from.isNew) continue;
    const moved = await moveProfileRows(tx, workspaceId, m.from, m.into, { threads: from.hasThreads });
    if (into && from.hasThreads) into.hasThreads = true;
    m.keys = [...new Set([...m.keys, ...moved])];
  }
  const inserted = stored.length ? await writeBatch(tx, workspaceId, state, stored, seal) : new Set<string>();
  await recordNames(
    tx,
    workspaceId,
    stored.flatMap((s) =>
      s.event.name && s.profile && inserted.has(s.event.clientId)
        ? [{ profileId: state.find(s.profile.id).id, at: s.event.occurredAt, ...s.event.name }]
        : [],
    ),
    seal,
  );
  const refresh = [...state.profiles.values()].filter((p) => p.refresh && !p.mergedInto).map((p) => p.id);
  await refreshProfiles(tx, workspaceId, refresh);
  // P5, decision 021: conversions of people from an ad go to the send-back outbox in this same transaction.
  await enqueueConversions(
    tx,
    workspaceId,
    stored.flatMap((s) =>
      s.profile && inserted.has(s.event.clientId)
        ? [
            {
              eventId: s.event.eventId,
              clientId: s.event.clientId,
              profileId: state.find(s.profile.id).id,
              occurredAt: s.event.occurredAt,
              source: s.event.source,
              type: s.event.type,
              channel: s.event.channel,
              properties: s.event.properties,
              identityHashes: s.event.identityHashes,
              rungBefore: rungsBefore.get(s.event.clientId) ?? 0,
              rung: s.rung,
            },
          ]
        : [],
    ),
  );

  const raced: string[] = [];
  for (const s of stored) {
    const id = s.event.clientId;
    if (!inserted.has(id)) raced.push(id);
    else
      outcome.set(id, {
        id,
        profileId: s.profile ? state.find(s.profile.id).id : null,
        rung: s.rung,
        duplicate: false,
      });
  }
  if (raced.length) {
    // Stored by a concurrent request between our read and our insert (only events without identifiers can race).
    const rows = await tx.$queryRawUnsafe<{ clientId: string; profileId: string | null; rung: number }[]>(
      `SELECT "clientId", "profileId", rung FROM "Event" WHERE "workspaceId" = $1::uuid AND "clientId" = ANY($2::text[])`,
      workspaceId,
      raced,
    );
    for (const r of rows)
      outcome.set(r.clientId, { id: r.clientId, profileId: r.profileId, rung: r.rung, duplicate: true });
  }

  return events.map((e) => {
    const r = outcome.get(e.clientId);
    if (!r) throw new Error(`No outcome for event ${e.clientId}.`);
    return first.get(e.clientId) === e ? r : { ...r, duplicate: true };
  });
}

/** Deadlocks, serialisation failures and a lost race on a unique key are answered by running the batch again. */
const RETRYABLE = new Set([...TRANSIENT, "23505"]);
