import type { Db } from "../db/client.ts";
import { commitBatch, type IngestResult, type PreparedBatch, prepareBatch } from "./ingest-events.ts";
import type { IngestWorkspace } from "./load-workspace.ts";
import { partitionEvents } from "./partition-events.ts";
import type { PreparedEvent } from "./prepare-events.ts";
import type { IngestEvent } from "./schemas.ts";

/** The most events one coalesced group carries. */
const MAX_GROUP_EVENTS = 1000;
/** Concurrent transactions one group is split into (by people that share nothing). */
const PARALLEL = 2;

interface Job {
  batch: PreparedBatch;
  resolve: (results: IngestResult[]) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  jobs: Job[];
  busy: boolean;
}

const queues = new WeakMap<Db, Map<string, Queue>>();

/**
 * Group commit for the ingest routes. Requests of one workspace that arrive while this process is writing
 * that workspace's previous batch wait and are then written together, in arrival order, in one transaction.
 * Concurrent batches of one workspace mostly concern the same people and would queue on the same identifier
 * locks anyway; together they share one lock round, one read, one write and one commit instead of convoying.
 * Each request still gets its own answers, and its batch is still all or nothing at validation. If a group
 * fails, its requests are retried one by one, so one request's failure never becomes another's.
 * Other processes (instances) are kept apart by the locks, as before (R8).
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
    queue = { jobs: [], busy: false };
    byWorkspace.set(workspace.id, queue);
  }
  const q = queue;
  return new Promise((resolve, reject) => {
    q.jobs.push({ batch, resolve, reject });
    if (!q.busy) void drain(db, workspace.id, q, byWorkspace);
  });
}

async function drain(db: Db, workspaceId: string, q: Queue, byWorkspace: Map<string, Queue>) {
  q.busy = true;
  try {
    while (q.jobs.length) {
      const group: Job[] = [];
      let size = 0;
      while (q.jobs.length) {
        const next = q.jobs[0] as Job;
        if (group.length && size + next.batch.events.length > MAX_GROUP_EVENTS) break;
        group.push(next);
        size += next.batch.events.length;
        q.jobs.shift();
      }
      await commitGroup(db, workspaceId, group);
    }
  } finally {
    q.busy = false;
    if (!q.jobs.length) byWorkspace.delete(workspaceId);
  }
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
