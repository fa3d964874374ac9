import type { Db } from "../db/client.ts";
import { claimRun, finishRun } from "./claim-run.ts";

/** One workspace's slot of a per-workspace job: JobRun (job, scope = workspace id, period). */
export interface WorkspaceSlot {
  id: string;
  period: string;
}

/** One page of `due`: the slots due among the page's workspaces, and where the next page starts (null: done). */
export interface DuePage {
  slots: WorkspaceSlot[];
  next: string | null;
}

export interface JobContext {
  period: string;
  /** Keeps the run's slot from looking abandoned (claimRun retakes a slot left "running" for 15 minutes). */
  heartbeat(): Promise<void>;
}

/**
 * A job that works workspace by workspace (the Friday summary; decision 018). Each workspace has its own
 * JobRun slot — scope its id, period what `due` says (e.g. the ISO week) — so a retry, a second call or a
 * second instance never does a workspace's work twice, and each workspace's result is recorded.
 */
export interface EachWorkspace {
  /** The workspaces with work due at `now` and their period, among the `limit` workspaces after `after` (id order). */
  due(db: Db, now: Date, page: { after: string | null; limit: number }): Promise<DuePage>;
  run(db: Db, slot: WorkspaceSlot, now: Date): Promise<unknown>;
  /** Workspaces per page (default 100). */
  batch?: number;
  /** Workspaces at once (default 4): each holds a database connection or two. */
  concurrency?: number;
  /**
   * Take no new workspace after this long (default JOB_BUDGET_MS): the rest stay due and the next run (the
   * next hour's) takes them, instead of a cron invocation cut off at its maximum duration mid-send.
   */
  budgetMs?: number;
}

/**
 * Vercel ends a function at its maximum duration: 300 s by default with Fluid compute, on every plan (the cron
 * route asks for that, app/api/cron/[job]/route.ts). A run stops taking workspaces a minute before.
 */
export const JOB_BUDGET_MS = 240_000;

export interface EachWorkspaceTotals {
  /** Workspaces whose slot this run did. */
  done: number;
  /** Due, but their slot was already done or running (a retry, a second call, another instance). */
  skipped: number;
  failed: number;
  /** Due, left for the next run by the time budget. */
  deferred: number;
  seconds: number;
}

/**
 * Runs a per-workspace job: pages of due workspaces (bounded batches), each claimed, run and recorded under
 * its own slot, a few at a time. A workspace that fails is recorded failed (claimRun takes it again next time)
 * and the others go on; the run then fails, so the cron's log shows it.
 */
export async function runEachWorkspace(
  db: Db,
  jobId: string,
  spec: EachWorkspace,
  now: Date,
  ctx: JobContext,
): Promise<EachWorkspaceTotals> {
  const started = performance.now();
  const budget = spec.budgetMs ?? JOB_BUDGET_MS;
  const limit = spec.batch ?? 100;
  const totals: EachWorkspaceTotals = { done: 0, skipped: 0, failed: 0, deferred: 0, seconds: 0 };
  const one = async (slot: WorkspaceSlot) => {
    if (performance.now() - started > budget) {
      totals.deferred++;
      return;
    }
    if (!(await claimRun(db, jobId, slot.id, slot.period))) {
      totals.skipped++;
      return;
    }
    try {
      const result = await spec.run(db, slot, now);
      await finishRun(db, jobId, slot.id, slot.period, result);
      totals.done++;
    } catch (error) {
      totals.failed++;
      console.error(`Job "${jobId}" failed for workspace ${slot.id}:`, error);
      await finishRun(db, jobId, slot.id, slot.period, { error: (error as Error).message }, false);
    }
  };
  let after: string | null = null;
  for (;;) {
    const page = await spec.due(db, now, { after, limit });
    const queue = [...page.slots];
    const workers = Array.from({ length: Math.max(1, spec.concurrency ?? 4) }, async () => {
      for (let slot = queue.shift(); slot; slot = queue.shift()) await one(slot);
    });
    await Promise.all(workers);
    await ctx.heartbeat();
    if (!page.next) break;
    after = page.next;
  }
  totals.seconds = Math.round((performance.now() - started) / 100) / 10;
  if (totals.failed) throw new Error(`Job "${jobId}" failed for ${totals.failed} workspace(s); see the log.`);
  return totals;
}
