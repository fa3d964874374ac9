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

/** Where a request sits in the log: a row holds the requests of one workspace that one flush wrote, in order. */
export interface LogPlace {
  /** The log row's id. */
  row: string;
  /** The request's position among the row's entries. */
  index: number;
}

export interface Appended {
  /** Where the request was logged (the drainer reports it when done). */
  place: LogPlace;
  /** The request's events already stored before it arrived (a retried beacon). */
  duplicates: number;
}

/**
 * A row's requests as one sealed JSON array: dates as ISO strings, the trust mark (no wire field) kept. One
 * seal per row, not per request: a cipher's set-up and its authentication tag are paid once per flush
 * (decision 027).
 */
export function sealEntries(entries: readonly (LogEntry | null)[]): string {
  return encrypt(JSON.stringify(entries));
}

/**
 * A row's requests by position; null where one was stored already and the row kept for the others (a drain
 * that failed part of a row seals it again with nulls in their places, so every request keeps its place). A
 * row logged before rows held several (one sealed object) reads as one entry.
 */
export function openEntries(sealed: string): (LogEntry | null)[] {
  const opened = JSON.parse(decrypt(sealed)) as LogEntry | (LogEntry | null)[];
  const entries = Array.isArray(opened) ? opened : [opened];
  for (const entry of entries) {
    if (!entry) continue;
    for (const e of entry.events) e.occurredAt = new Date(e.occurredAt);
    for (const c of entry.choices) c.at = new Date(c.at);
  }
  return entries;
}

interface Pending {
  entry: LogEntry;
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
 * The most events one log row holds: a flush's requests of one workspace share a row up to this, so a row is
 * always a small part of a drain pass (CLAIM_EVENTS, lib/ingest/drain-ingest-log.ts).
 */
const MAX_ROW_EVENTS = 250;

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
  return new Promise((resolve, reject) => {
    w.pending.push({ entry, resolve, reject });
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

/** A flush's requests as rows: each workspace's in arrival order, a new row past MAX_ROW_EVENTS. */
function rowsOf(entries: readonly LogEntry[]) {
  const rows: { workspaceId: string; members: number[]; events: number }[] = [];
  const open = new Map<string, (typeof rows)[number]>();
  entries.forEach((entry, i) => {
    let row = open.get(entry.workspaceId);
    if (row && row.events + entry.events.length > MAX_ROW_EVENTS) row = undefined;
    if (!row) {
      row = { workspaceId: entry.workspaceId, members: [], events: 0 };
      rows.push(row);
      open.set(entry.workspaceId, row);
    }
    row.members.push(i);
    row.events += entry.events.length;
  });
  return rows;
}

async function insertGroup(db: Db, group: Pending[]): Promise<Appended[]> {
  const rows = rowsOf(group.map((p) => p.entry));
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
  const result = await sqlOf(db).$queryRawUnsafe<{ kind: string; n: number; id: string | null }[]>(
    APPEND_SQL,
    rows.map((r) => r.workspaceId),
    rows.map((r) => r.events),
    rows.map((r) => sealEntries(r.members.map((i) => (group[i] as Pending).entry))),
    probeRequest,
    probeWorkspace,
    probeId,
  );
  const ids = result
    .filter((r) => r.kind === "log")
    .map((r) => BigInt(r.id as string))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const duplicates = new Array<number>(group.length).fill(0);
  for (const r of result) if (r.kind === "dup") duplicates[r.n] = (duplicates[r.n] ?? 0) + 1;
  const places = new Array<LogPlace>(group.length);
  rows.forEach((r, k) => {
    r.members.forEach((i, index) => {
      places[i] = { row: String(ids[k]), index };
    });
  });
  return group.map((_, i) => ({ place: places[i] as LogPlace, duplicates: duplicates[i] ?? 0 }));
}
