import type { Db } from "../db/client.ts";
import { commitBatch, type IngestResult, type PreparedBatch, prepareBatch } from "./ingest-events.ts";
import type { IngestWorkspace } from "./load-workspace.ts";
import { keysOf, partitionEvents } from "./partition-events.ts";
import type { PreparedEvent } from "./prepare-events.ts";
import type { IngestEvent } from "./schemas.ts";

/** The most events one coalesced group carries. */
const MAX_GROUP_EVENTS = 1000;
/** Concurrent transactions one group is split into (by people that share nothing). */
const PARALLEL = 2;
/** Groups of one workspace one process writes at once (at most IN_FLIGHT × PARALLEL transactions). */
const IN_FLIGHT = 2;

interface Job {
  batch: PreparedBatch;
  /** What ties its events to others: client ids, identifiers, link clicks (partition-events.ts). */
  keys: string[];
  resolve: (results: IngestResult[]) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  jobs: Job[];
  /** The keys of each group being written now. */
  inFlight: Set<Set<string>>;
}

const queues = new WeakMap<Db, Map<string, Queue>>();

/**
 * Group commit for the ingest routes. Requests of one workspace wait while this process writes that
 * workspace's earlier requests, and are then written together, in arrival order, in one group. Concurrent
 * batches of one workspace often concern the same people (a person's events arrive close together) and would
 * queue on the same identifier locks anyway; together they share one lock round, one read, one write and one
 * commit instead of convoying. A group that shares nothing the batches can see (client id, identifier,
 * tracked-link click) with the groups being written starts at once, up to IN_FLIGHT of them: batches of
 * different people (a CRM sync, a backlog) then overlap their locks, reads, resolution and commits instead of
 * leaving half the machine idle (decision 026). Each request still gets its own answers, and its batch is
 * still all or nothing at validation. If a group fails, its requests are retried one by one, so one request's
 * failure never becomes another's. Other processes (instances), and links no batch can see (two identifiers
 * of one stored person), are kept apart by the locks, as before (R8).
 */
export function ingestCoalesced(
  db: Db,
  workspace: IngestWorkspace,
  events: readonly IngestEvent[],
): Promise<IngestResult[]> {
  const batch = prepareBatch(workspace, events);
  let byWorkspace = queues.get(db);
  if (!byWorkspace) {
    byWorkspace = new Map();
    queues.set(db, byWorkspace);
  }
  let queue = byWorkspace.get(workspace.id);
  if (!queue) {
    queue = { jobs: [], inFlight: new Set() };
    byWorkspace.set(workspace.id, queue);
  }
  const q = queue;
  const keys = batch.events.flatMap(keysOf);
  const w = byWorkspace;
  return new Promise((resolve, reject) => {
    q.jobs.push({ batch, keys, resolve, reject });
    start(db, workspace.id, q, w);
  });
}

/**
 * Starts groups from the head of the queue while fewer than IN_FLIGHT are being written and the next group
 * shares no key with them; otherwise the jobs wait for a group to finish, and gather meanwhile.
 */
function start(db: Db, workspaceId: string, q: Queue, byWorkspace: Map<string, Queue>) {
  while (q.jobs.length && q.inFlight.size < IN_FLIGHT) {
    let count = 0;
    let size = 0;
    const keys = new Set<string>();
    for (const job of q.jobs) {
      if (count && size + job.batch.events.length > MAX_GROUP_EVENTS) break;
      count++;
      size += job.batch.events.length;
      for (const k of job.keys) keys.add(k);
    }
    if ([...q.inFlight].some((other) => overlaps(other, keys))) return;
    const group = q.jobs.splice(0, count);
    q.inFlight.add(keys);
    void commitGroup(db, workspaceId, group)
      .catch((error: unknown) => {
        for (const job of group) job.reject(error);
      })
      .finally(() => {
        q.inFlight.delete(keys);
        if (!q.jobs.length && !q.inFlight.size) byWorkspace.delete(workspaceId);
        else start(db, workspaceId, q, byWorkspace);
      });
  }
}

function overlaps(a: Set<string>, b: Set<string>) {
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const k of small) if (large.has(k)) return true;
  return false;
}

/**
 * Writes a group as up to PARALLEL concurrent transactions over parts that share no identifier (different
 * people): the database works on them side by side instead of one after the other.
 */
async function commitParallel(db: Db, workspaceId: string, batch: PreparedBatch): Promise<IngestResult[]> {
  const parts = partitionEvents(batch.events, PARALLEL);
  if (parts.length === 1) return commitBatch(db, workspaceId, batch, batch.events.length);
  const out: IngestResult[] = new Array(batch.events.length);
  const settled = await Promise.allSettled(
    parts.map(async (indexes) => {
      const events = indexes.map((i) => batch.events[i] as PreparedEvent);
      const results = await commitBatch(db, workspaceId, { events, sealed: batch.sealed }, events.length);
      indexes.forEach((i, n) => {
        out[i] = results[n] as IngestResult;
      });
    }),
  );
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return out;
}

async function commitGroup(db: Db, workspaceId: string, group: Job[]) {
  if (group.length === 1) {
    const job = group[0] as Job;
    await commitParallel(db, workspaceId, job.batch).then(job.resolve, job.reject);
    return;
  }
  const sealed = new Map<string, string>();
  for (const j of group) for (const [k, v] of j.batch.sealed) sealed.set(k, v);
  try {
    const results = await commitParallel(db, workspaceId, { events: group.flatMap((j) => j.batch.events), sealed });
    let at = 0;
    for (const j of group) {
      j.resolve(results.slice(at, at + j.batch.events.length));
      at += j.batch.events.length;
    }
  } catch {
    for (const j of group) await commitBatch(db, workspaceId, j.batch).then(j.resolve, j.reject);
  }
}
