import type { Db } from "../db/client.ts";
import { preparedStatement, sqlOf } from "../db/raw-sql.ts";
import { prepareIdentity } from "../identity/prepare-identity.ts";
import { liftWithdrawal, recordConsent } from "../privacy/consent-records.ts";
import { markGpc } from "../privacy/global-privacy-control.ts";
import { processShared } from "../process-shared.ts";
import { commitBatch, type IngestResult, prepareBatch } from "./ingest-events.ts";
import { type LogEntry, openEntry } from "./ingest-log.ts";
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

/** Rows one drain pass claims: up to this many requests (at most 50 events each, mostly one). */
const CLAIM_ROWS = 1000;
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
        const claimed = await drainPass(db, d);
        if (!claimed && !d.again) break;
        const wait = GATHER_MS - (Date.now() - started);
        if (claimed < CLAIM_ROWS && wait > 0 && !d.urgent) await sleep(wait);
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

/**
 * Resolves with the outcome of one logged request once it is drained, here or (null) by another instance;
 * null too after `timeoutMs`. The request was appended before, so its row exists.
 */
export async function waitForDrain(db: Db, id: string, timeoutMs = 5000): Promise<DrainedEntry | null> {
  const d = drainerOf(db);
  const mine = new Promise<DrainedEntry | null>((resolve) => {
    const list = d.waiters.get(id) ?? [];
    list.push({ resolve });
    d.waiters.set(id, list);
  });
  void kickDrainer(db, true);
  const deadline = Date.now() + timeoutMs;
  const elsewhere = (async () => {
    // Another instance may claim it: then only its disappearance from the log tells it is done.
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      if (!d.waiters.has(id)) return null;
      const [row] = await sqlOf(db).$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "IngestLog" WHERE id = $1::bigint`,
        id,
      );
      if (!row?.n) return null;
    }
    return null;
  })();
  const outcome = await Promise.race([mine, elsewhere]);
  settle(d, id, null);
  return outcome;
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

const CLAIM_SQL = preparedStatement(
  `UPDATE "IngestLog" l SET "claimedUntil" = now() + make_interval(secs => $2), attempts = l.attempts + 1
     FROM (SELECT id FROM "IngestLog"
           WHERE ("claimedUntil" IS NULL OR "claimedUntil" < now()) AND attempts < $3
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) c
     WHERE l.id = c.id
     RETURNING l.id::text AS id, l."workspaceId" AS "workspaceId", l."payloadEnc" AS "payloadEnc", l.attempts`,
);

/** One pass: claim the oldest rows, store their events in large batches per workspace, delete them. */
async function drainPass(db: Db, d: Drainer): Promise<number> {
  const sql = sqlOf(db);
  const rows = await sql.$queryRawUnsafe<LogRow[]>(CLAIM_SQL, CLAIM_ROWS, CLAIM_SECONDS, MAX_ATTEMPTS);
  if (!rows.length) return 0;
  rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const byWorkspace = new Map<string, LogRow[]>();
  for (const r of rows) {
    const list = byWorkspace.get(r.workspaceId) ?? [];
    list.push(r);
    byWorkspace.set(r.workspaceId, list);
  }
  const done: string[] = [];
  for (const [workspaceId, list] of byWorkspace) {
    for (const { row, outcome } of await drainWorkspace(db, workspaceId, list)) {
      if (outcome instanceof Error) {
        await sql.$executeRawUnsafe(
          `UPDATE "IngestLog" SET "lastError" = $2, "claimedUntil" = now() + interval '2 seconds' WHERE id = $1::bigint`,
          row.id,
          outcome.message.slice(0, 500),
        );
        if (row.attempts >= MAX_ATTEMPTS)
          console.error(`Ingest log: row ${row.id} failed ${row.attempts} times and is kept aside:`, outcome.message);
        continue;
      }
      done.push(row.id);
      settle(d, row.id, outcome);
    }
  }
  if (done.length) await sql.$executeRawUnsafe(`DELETE FROM "IngestLog" WHERE id = ANY($1::bigint[])`, done);
  return rows.length;
}

interface Opened {
  row: LogRow;
  entry: LogEntry;
}

/**
 * One workspace's rows in log order. Requests without consent choices run together as one batch (the group
 * is split into transactions by ingestion itself); a request carrying a consent choice runs on its own, in
 * its place, with the withdrawal lifted before and the choice recorded after, as the synchronous path did.
 * If a batch fails, its requests are retried one by one so one bad row never holds back another.
 */
async function drainWorkspace(
  db: Db,
  workspaceId: string,
  rows: LogRow[],
): Promise<{ row: LogRow; outcome: DrainedEntry | Error }[]> {
  const out: { row: LogRow; outcome: DrainedEntry | Error }[] = [];
  let ws: Awaited<ReturnType<typeof loadWorkspaceForIngest>>;
  try {
    ws = await loadWorkspaceForIngest(db, workspaceId);
  } catch (error) {
    return rows.map((row) => ({ row, outcome: asError(error) }));
  }
  const ctx = identityContext(ws);
  const opened: Opened[] = [];
  for (const row of rows) {
    try {
      opened.push({ row, entry: openEntry(row.payloadEnc) });
    } catch (error) {
      out.push({ row, outcome: asError(error) });
    }
  }
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
        out.push({ row: o.row, outcome: await afterStored(db, workspaceId, o.entry, mine, deviceHashOf(o.entry)) });
      }
    } catch {
      for (const o of group) out.push({ row: o.row, outcome: await drainOne(db, ws, o.entry, deviceHashOf(o.entry)) });
    }
  };
  for (const o of opened) {
    if (o.entry.choices.length) {
      await flushRun();
      out.push({ row: o.row, outcome: await drainOne(db, ws, o.entry, deviceHashOf(o.entry)) });
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
