import { decrypt, encrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { preparedStatement, sqlOf } from "../db/raw-sql.ts";
import type { ConsentChoice } from "../privacy/consent-records.ts";
import type { IngestEvent } from "./schemas.ts";

/**
 * One tracker request as the ingest log keeps it (decision 013): its events already validated (a bad batch
 * was refused before anything was logged) and what the request itself said about consent and GPC, which the
 * drainer needs after the events are stored.
 */
export interface LogEntry {
  workspaceId: string;
  deviceId: string;
  events: IngestEvent[];
  /** The number of the request's own events (derived ones, ads/ad_click, follow them in `events`). */
  ownEvents: number;
  choices: ConsentChoice[];
  country: string | null;
  gpcHeader: boolean;
  /** GPC said by the header or by an event's `props.gpc`. */
  gpc: boolean;
}

export interface Appended {
  /** The log row's id (the drainer reports it when done). */
  id: string;
  /** The request's events already stored before it arrived (a retried beacon). */
  duplicates: number;
}

/** Events as JSON: dates as ISO strings, the trust mark (no wire field) kept. */
export function sealEntry(entry: LogEntry): string {
  return encrypt(JSON.stringify(entry));
}

export function openEntry(sealed: string): LogEntry {
  const entry = JSON.parse(decrypt(sealed)) as LogEntry;
  for (const e of entry.events) e.occurredAt = new Date(e.occurredAt);
  for (const c of entry.choices) c.at = new Date(c.at);
  return entry;
}

interface Pending {
  entry: LogEntry;
  sealed: string;
  resolve: (appended: Appended) => void;
  reject: (error: unknown) => void;
}

interface Writer {
  pending: Pending[];
  busy: boolean;
}

const writers = new WeakMap<Db, Writer>();

/** The most requests one INSERT carries (50 events each at most: 25,000 rows' worth of work, one statement). */
const MAX_FLUSH = 500;

/**
 * Appends a request to the log and resolves once it is committed (durable: the 202 may be sent). Requests
 * that arrive while the previous flush is in flight are written together by the next one, so at any load a
 * tracker request costs a share of one multi-row INSERT instead of a transaction of its own. The same
 * statement counts the events already stored (a beacon sent twice), probing the events' unique key.
 */
export function appendToLog(db: Db, entry: LogEntry): Promise<Appended> {
  let writer = writers.get(db);
  if (!writer) {
    writer = { pending: [], busy: false };
    writers.set(db, writer);
  }
  const w = writer;
  const sealed = sealEntry(entry);
  return new Promise((resolve, reject) => {
    w.pending.push({ entry, sealed, resolve, reject });
    if (!w.busy) void flush(db, w);
  });
}

async function flush(db: Db, w: Writer) {
  w.busy = true;
  try {
    while (w.pending.length) {
      const group = w.pending.splice(0, MAX_FLUSH);
      try {
        const results = await insertGroup(db, group);
        group.forEach((p, i) => {
          p.resolve(results[i] as Appended);
        });
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
  } finally {
    w.busy = false;
  }
}

// One statement, one round trip, one commit: the rows in arrival order (their ids are the drain order),
// and which of the events are already stored. The statement lives in a function
// (prisma/migrations/20261203100000_ingest_log_append) whose plan Postgres keeps for the connection: sent as
// text, it was planned again on every flush (decision 025).
const APPEND_SQL = preparedStatement(
  `SELECT kind, n, id FROM onethread_ingest_log_append($1::uuid[], $2::int[], $3::text[], $4::int[], $5::uuid[], $6::text[])`,
);

async function insertGroup(db: Db, group: Pending[]): Promise<Appended[]> {
  const probeRequest: number[] = [];
  const probeWorkspace: string[] = [];
  const probeId: string[] = [];
  group.forEach((p, i) => {
    for (const e of p.entry.events.slice(0, p.entry.ownEvents)) {
      if (!e.id) continue;
      probeRequest.push(i);
      probeWorkspace.push(p.entry.workspaceId);
      probeId.push(e.id);
    }
  });
  const rows = await sqlOf(db).$queryRawUnsafe<{ kind: string; n: number; id: string | null }[]>(
    APPEND_SQL,
    group.map((p) => p.entry.workspaceId),
    group.map((p) => p.entry.events.length),
    group.map((p) => p.sealed),
    probeRequest,
    probeWorkspace,
    probeId,
  );
  const ids = rows
    .filter((r) => r.kind === "log")
    .map((r) => BigInt(r.id as string))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const duplicates = new Array<number>(group.length).fill(0);
  for (const r of rows) if (r.kind === "dup") duplicates[r.n] = (duplicates[r.n] ?? 0) + 1;
  return group.map((_, i) => ({ id: String(ids[i]), duplicates: duplicates[i] ?? 0 }));
}
