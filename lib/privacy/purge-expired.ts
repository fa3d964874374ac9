import type { Db } from "../db/client.ts";
import { claimRun, finishRun, touchRun } from "../jobs/claim-run.ts";
import { type PurgeOptions, purgeWorkspace, type WorkspacePurge } from "./purge-workspace.ts";

export const PURGE_JOB = "purge";

/** What each workspace's purge counts that the run's totals add up. */
const SUMMED = [
  "events",
  "messages",
  "conversations",
  "people",
  "webhookReceipts",
  "conversions",
  "remaining",
] as const;

export interface PurgeTotals {
  workspaces: number;
  events: number;
  messages: number;
  conversations: number;
  people: number;
  webhookReceipts: number;
  conversions: number;
  remaining: number;
  failed: number;
  seconds: number;
}

/**
 * The nightly retention purge (P14) over every workspace, each under its own JobRun slot (job "purge", scope
 * the workspace, the same period as the run): a retried or second run that period skips the workspaces
 * already done, and each slot's result is what Settings → Data shows its owner. A workspace that fails is
 * recorded failed and the others go on; the run then fails too, so a retry redoes just those.
 */
export async function purgeExpired(db: Db, now: Date, period: string, opts: PurgeOptions = {}): Promise<PurgeTotals> {
  const started = performance.now();
  const totals: PurgeTotals = {
    workspaces: 0,
    events: 0,
    messages: 0,
    conversations: 0,
    people: 0,
    webhookReceipts: 0,
    conversions: 0,
    remaining: 0,
    failed: 0,
    seconds: 0,
  };
  let after: string | null = null;
  for (;;) {
    const page: { id: string; retentionMonths: number; customerRetentionMonths: number | null }[] =
      await db.workspace.findMany({
        where: after ? { id: { gt: after } } : {},
        orderBy: { id: "asc" },
        take: 100,
        select: { id: true, retentionMonths: true, customerRetentionMonths: true },
      });
    for (const ws of page) {
      if (!(await claimRun(db, PURGE_JOB, ws.id, period))) continue;
      try {
        let beat = Date.now();
        const heartbeat = async () => {
          await opts.heartbeat?.();
          if (Date.now() - beat < 60_000) return;
          beat = Date.now();
          await touchRun(db, PURGE_JOB, ws.id, period);
        };
        const r: WorkspacePurge = await purgeWorkspace(db, ws, now, { ...opts, heartbeat });
        await finishRun(db, PURGE_JOB, ws.id, period, r);
        totals.workspaces++;
        for (const k of SUMMED) totals[k] += r[k];
      } catch (error) {
        totals.failed++;
        console.error(`Retention purge of workspace ${ws.id} failed:`, error);
        await finishRun(db, PURGE_JOB, ws.id, period, { error: (error as Error).message }, false);
      }
    }
    if (page.length < 100) break;
    after = page.at(-1)?.id ?? null;
  }
  // The slots of runs long past say nothing anyone reads, whichever job made them (the send-back outbox alone
  // makes one a minute): keep 90 days of them. A job only ever claims its current period, so none is run again;
  // a running slot (this run's own, under a `--now` far from the clock) is never taken.
  await db.jobRun.deleteMany({
    where: { startedAt: { lt: new Date(now.getTime() - 90 * 86_400_000) }, status: { not: "running" } },
  });
  totals.seconds = Math.round((performance.now() - started) / 100) / 10;
  if (totals.failed) throw new Error(`The retention purge failed for ${totals.failed} workspace(s); see the log.`);
  return totals;
}

export interface LastPurge {
  at: string;
  status: string;
  result: Partial<WorkspacePurge> & { error?: string };
}

/** The latest purge of a workspace, for its owner's settings pages; null before the first. */
export async function lastPurge(db: Db, workspaceId: string): Promise<LastPurge | null> {
  const run = await db.jobRun.findFirst({
    where: { job: PURGE_JOB, scope: workspaceId, status: { in: ["done", "failed"] } },
    orderBy: { startedAt: "desc" },
    select: { status: true, result: true, finishedAt: true, startedAt: true },
  });
  if (!run) return null;
  return {
    at: (run.finishedAt ?? run.startedAt).toISOString(),
    status: run.status,
    result: (run.result ?? {}) as LastPurge["result"],
  };
}
