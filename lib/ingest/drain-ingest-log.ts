import type { Db } from "../db/client.ts";
import { preparedStatement, sqlOf } from "../db/raw-sql.ts";
import { prepareIdentity } from "../identity/prepare-identity.ts";
import { liftWithdrawal, recordConsent } from "../privacy/consent-records.ts";
import { markGpc } from "../privacy/global-privacy-control.ts";
import { processShared } from "../process-shared.ts";
import { commitBatch, type IngestResult, prepareBatch } from "./ingest-events.ts";
import { type LogEntry, type LogPlace, openEntries, sealEntries } from "./ingest-log.ts";
import { identityContext, loadWorkspaceForIngest } from "./load-workspace.ts";

/** What the drainer found out about one logged request, for a caller that waits on it (a first-party request). */
export interface DrainedEntry {
  results: IngestResult[];
  /** The device stands withdrawn after this request's consent choices. */
  withdrawn: boolean;
  deviceHash: string | null;
}

interface LogRow {
  id: string;
  workspaceId: string;
  payloadEnc: string;
  attempts: number;
}

/** Rows one drain pass claims at most (each holds the requests of one flush and workspace). */
const CLAIM_ROWS = 1000;
/** Events one drain pass claims: rows are taken in order until this many (always at least one row). */
const CLAIM_EVENTS = 2000;
/**
 * A claim outlives a normal pass by far; a drainer killed mid-pass leaves rows that are taken again after
 * this. A slow pass overtaken by its expiry is harmless: a second drain of the same rows stores nothing new
 * (event ids are unique per workspace, consent records are keyed by their event).
 */
const CLAIM_SECONDS = 10;
/** A row that failed this many passes stays in the log (visible, logged) instead of blocking the rest. */
const MAX_ATTEMPTS = 5;
/** How often an idle drainer looks for rows logged by other instances, or left by a restart. */
const POLL_MS = 500;

interface Drainer {
  running: Promise<void> | null;
  again: boolean;
  urgent: boolean;
  timer: ReturnType<typeof setInterval> | null;
  waiters: Map<string, { resolve: (d: DrainedEntry | null) => void }[]>;
}

// instrumentation.ts starts the poll, the routes kick and wait: one drainer per process and database.
const drainers = processShared("drainers", () => new WeakMap<Db, Drainer>());

function drainerOf(db: Db): Drainer {
  let d = drainers.get(db);
  if (!d) {
    d = { running: null, again: false, urgent: false, timer: null, waiters: new Map() };
    drainers.set(db, d);
  }
  return d;
}

/**
 * How long a busy drainer lets requests gather before its next pass. A pass has a fixed cost (a claim,
 * identifier locks, a read, a write, a commit, a delete) that one event per pass would pay each time, as the
 * old synchronous path did; gathering for a moment spreads it over everything that arrived meanwhile, well
 * inside the 2 s API.md allows between the 202 and the event being visible. At 1,400 one-event requests/s,
 * 40 ms made passes of 68 events and 150 ms of 214, with 14% less Postgres CPU per event (decision 023).
 */
const GATHER_MS = 150;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wakes this process's drainer (after an append): it drains until the log is empty, each pass taking
 * everything logged meanwhile, so the busier the tracker the larger the batches. `urgent` (someone waits on
 * the result: a first-party request, a test, a job) skips the gathering. Also starts the idle poll.
 * Returns the run that will include what was logged before the call.
 */
export function kickDrainer(db: Db, urgent = false): Promise<void> {
  const d = drainerOf(db);
  startPolling(db, d);
  if (urgent) d.urgent = true;
  if (d.running) {
    d.again = true;
    return d.running;
  }
  d.running = (async () => {
    try {
      if (!d.urgent) await sleep(GATHER_MS);
      for (;;) {
        d.again = false;
        const started = Date.now();
        const { rows, full } = await drainPass(db, d);
        if (!rows && !d.again) break;
        const wait = GATHER_MS - (Date.now() - started);
        if (!full && wait > 0 && !d.urgent) await sleep(wait);
      }
    } catch (error) {
      console.error("Ingest log: a drain pass failed; the poll retries it.", error);
    } finally {
      d.running = null;
      d.urgent = false;
    }
  })();
  return d.running;
}

/** The poll that drains what other instances logged, or what a killed process left (a restart drains it). */
export function startPolling(db: Db, d = drainerOf(db)) {
  if (d.timer) return;
  d.timer = setInterval(() => {
    if (!d.running) void kickDrainer(db);
  }, POLL_MS);
  d.timer.unref?.();
}

export function stopDrainer(db: Db) {
  const d = drainers.get(db);
  if (d?.timer) clearInterval(d.timer);
  if (d) d.timer = null;
}

const waiterKey = (place: LogPlace) => `${place.row}:${place.index}`;

/**
 * Resolves with the outcome of one logged request once it is drained, here or (null) by another instance;
 * null too after `timeoutMs`. The request was appended before, so its row exists.
 */
export async function waitForDrain(db: Db, place: LogPlace, timeoutMs = 5000): Promise<DrainedEntry | null> {
  const d = drainerOf(db);
  const id = waiterKey(place);
  const mine = new Promise<DrainedEntry | null>((resolve) => {
    const list = d.waiters.get(id) ?? [];
    list.push({ resolve });
    d.waiters.set(id, list);
  });
  void kickDrainer(db, true);
  const deadline = Date.now() + timeoutMs;
  const elsewhere = (async () => {
    // Another instance may claim it: then only the log tells it is done. The row is gone once all of it was
    // stored; a row drained in part stays, with the stored requests as nulls in their places (drainPass).
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (!d.waiters.has(id)) return null;
      const [row] = await sqlOf(db).$queryRawUnsafe<{ payloadEnc: string | null }[]>(
        `SELECT CASE WHEN "lastError" IS NOT NULL THEN "payloadEnc" END AS "payloadEnc" FROM "IngestLog"
         WHERE id = $1::bigint`,
        place.row,
      );
      if (!row) return null;
      if (row.payloadEnc && storedIn(row.payloadEnc, place.index)) return null;
    }
    return null;
  })();
  const outcome = await Promise.race([mine, elsewhere]);
  settle(d, id, null);
  return outcome;
}

/** Whether a row kept after a partly failed pass no longer holds the request at `index` (it was stored). */
function storedIn(payloadEnc: string, index: number): boolean {
  try {
    return openEntries(payloadEnc)[index] === null;
  } catch {
    return false; // a row that cannot be opened holds nothing stored
  }
}

function settle(d: Drainer, id: string, outcome: DrainedEntry | null) {
  const list = d.waiters.get(id);
  if (!list) return;
  d.waiters.delete(id);
  for (const w of list) w.resolve(outcome);
}

/** Drains the whole log now (tests, the CLI, a job): resolves when nothing claimable is left. */
export async function drainIngestLog(db: Db): Promise<void> {
  const d = drainerOf(db);
  do {
    await kickDrainer(db, true);
  } while (d.running);
}

// The oldest claimable rows, locked (SKIP LOCKED: another instance's claim is left to it), then claimed in
// order while the events before each row stay under the pass's budget.
const CLAIM_SQL = preparedStatement(
  `WITH c AS (SELECT id, "eventCount" FROM "IngestLog"
              WHERE ("claimedUntil" IS NULL OR "claimedUntil" < now()) AND attempts < $3
              ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED),
        t AS (SELECT id, sum("eventCount") OVER (ORDER BY id) - "eventCount" AS before FROM c)
   UPDATE "IngestLog" l SET "claimedUntil" = now() + make_interval(secs => $2), attempts = l.attempts + 1
     FROM t WHERE l.id = t.id AND t.before < $4
     RETURNING l.id::text AS id, l."workspaceId" AS "workspaceId", l."payloadEnc" AS "payloadEnc", l.attempts,
       l."eventCount" AS "eventCount"`,
);

/**
 * One pass: claim the oldest rows, store their requests' events in large batches per workspace, delete the
 * rows. A row whose requests were only partly stored is kept for the rest, sealed again with the stored ones
 * taken out. `full`: the pass took as much as it may, so more is likely waiting.
 */
async function drainPass(db: Db, d: Drainer): Promise<{ rows: number; full: boolean }> {
  const sql = sqlOf(db);
  const rows = await sql.$queryRawUnsafe<(LogRow & { eventCount: number })[]>(
    CLAIM_SQL,
    CLAIM_ROWS,
    CLAIM_SECONDS,
    MAX_ATTEMPTS,
    CLAIM_EVENTS,
  );
  if (!rows.length) return { rows: 0, full: false };
  rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const events = rows.reduce((n, r) => n + r.eventCount, 0);
  const byWorkspace = new Map<string, LogRow[]>();
  for (const r of rows) {
    const list = byWorkspace.get(r.workspaceId) ?? [];
    list.push(r);
    byWorkspace.set(r.workspaceId, list);
  }
  const done: string[] = [];
  for (const [workspaceId, list] of byWorkspace) {
    for (const { row, entries, outcomes, error } of await drainWorkspace(db, workspaceId, list)) {
      const failed = error ?? outcomes.find((o): o is Error => o instanceof Error);
      outcomes.forEach((o, index) => {
        if (o && !(o instanceof Error)) settle(d, waiterKey({ row: row.id, index }), o);
      });
      if (!failed) {
        done.push(row.id);
        continue;
      }
      // Kept for what failed: the stored requests become nulls, so a retry stores nothing twice and every
      // request keeps its place (its waiter's key). A row that could not be opened stays as it was.
      const rest = entries?.map((e, i) => (outcomes[i] instanceof Error ? e : null));
      await sql.$executeRawUnsafe(
        `UPDATE "IngestLog" SET "lastError" = $2, "claimedUntil" = now() + interval '2 seconds',
           "payloadEnc" = coalesce($3, "payloadEnc"), "eventCount" = coalesce($4, "eventCount") WHERE id = $1::bigint`,
        row.id,
        failed.message.slice(0, 500),
        rest ? sealEntries(rest) : null,
        rest ? rest.reduce((n, e) => n + (e?.events.length ?? 0), 0) : null,
      );
      if (row.attempts >= MAX_ATTEMPTS)
        console.error(`Ingest log: row ${row.id} failed ${row.attempts} times and is kept aside:`, failed.message);
    }
  }
  if (done.length) await sql.$executeRawUnsafe(`DELETE FROM "IngestLog" WHERE id = ANY($1::bigint[])`, done);
  return { rows: rows.length, full: rows.length >= CLAIM_ROWS || events >= CLAIM_EVENTS };
}

interface Opened {
  row: LogRow;
  index: number;
  entry: LogEntry;
}

/**
 * What became of one row: its requests by position (null: stored by an earlier pass) and each one's outcome,
 * or the error that kept the row from being opened at all.
 */
interface RowOutcome {
  row: LogRow;
  entries: (LogEntry | null)[] | null;
  outcomes: (DrainedEntry | Error | null)[];
  error?: Error;
}

/**
 * One workspace's rows in log order, request by request. Requests without consent choices run together as
 * one batch (the group is split into transactions by ingestion itself); a request carrying a consent choice
 * runs on its own, in its place, with the withdrawal lifted before and the choice recorded after, as the
 * synchronous path did. If a batch fails, its requests are retried one by one so one bad request never holds
 * back another.
 */
async function drainWorkspace(db: Db, workspaceId: string, rows: LogRow[]): Promise<RowOutcome[]> {
  let ws: Awaited<ReturnType<typeof loadWorkspaceForIngest>>;
  try {
    ws = await loadWorkspaceForIngest(db, workspaceId);
  } catch (error) {
    return rows.map((row) => ({ row, entries: null, outcomes: [], error: asError(error) }));
  }
  const ctx = identityContext(ws);
  const out: RowOutcome[] = [];
  const opened: Opened[] = [];
  for (const row of rows) {
    try {
      const entries = openEntries(row.payloadEnc);
      const outcome: RowOutcome = { row, entries, outcomes: entries.map(() => null) };
      out.push(outcome);
      entries.forEach((entry, index) => {
        if (entry) opened.push({ row, index, entry });
      });
    } catch (error) {
      out.push({ row, entries: null, outcomes: [], error: asError(error) });
    }
  }
  const outcomeOf = new Map(out.map((o) => [o.row, o]));
  const record = (o: Opened, outcome: DrainedEntry | Error) => {
    (outcomeOf.get(o.row) as RowOutcome).outcomes[o.index] = outcome;
  };
  const deviceHashOf = (e: LogEntry) => prepareIdentity({ deviceId: e.deviceId }, ctx).identifiers[0]?.hash ?? null;

  let run: Opened[] = [];
  const flushRun = async () => {
    if (!run.length) return;
    const group = run;
    run = [];
    try {
      const results = await commitBatch(
        db,
        workspaceId,
        prepareBatch(
          ws,
          group.flatMap((o) => o.entry.events),
        ),
      );
      let at = 0;
      for (const o of group) {
        const mine = results.slice(at, at + o.entry.events.length);
        at += o.entry.events.length;
        record(o, await afterStored(db, workspaceId, o.entry, mine, deviceHashOf(o.entry)));
      }
    } catch {
      for (const o of group) record(o, await drainOne(db, ws, o.entry, deviceHashOf(o.entry)));
    }
  };
  for (const o of opened) {
    if (o.entry.choices.length) {
      await flushRun();
      record(o, await drainOne(db, ws, o.entry, deviceHashOf(o.entry)));
    } else run.push(o);
  }
  await flushRun();
  return out;
}

async function drainOne(
  db: Db,
  ws: Awaited<ReturnType<typeof loadWorkspaceForIngest>>,
  entry: LogEntry,
  deviceHash: string | null,
): Promise<DrainedEntry | Error> {
  try {
    if (deviceHash && entry.choices.length) await liftWithdrawal(sqlOf(db), ws.id, deviceHash, entry.choices);
    const results = await commitBatch(db, ws.id, prepareBatch(ws, entry.events));
    return await afterStored(db, ws.id, entry, results, deviceHash);
  } catch (error) {
    return asError(error);
  }
}

/** After a request's events are stored: its consent choices recorded (P3, P4), GPC marked (P5). */
async function afterStored(
  db: Db,
  workspaceId: string,
  entry: LogEntry,
  results: IngestResult[],
  deviceHash: string | null,
): Promise<DrainedEntry> {
  const sql = sqlOf(db);
  const own = results.slice(0, entry.ownEvents);
  const profileOf = new Map(own.map((r) => [r.id, r.profileId]));
  const withdrawn = await recordConsent(
    sql,
    {
      workspaceId,
      deviceHash,
      profileOf: (id) => profileOf.get(id) ?? null,
      country: entry.country,
      gpcHeader: entry.gpcHeader,
    },
    entry.choices,
  );
  if (entry.gpc)
    await markGpc(
      sql,
      workspaceId,
      results.map((r) => r.profileId),
    );
  return { results: own, withdrawn, deviceHash };
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
