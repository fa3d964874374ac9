import type { Db } from "../db/client.ts";
import { cleanupAuth } from "./auth-cleanup.ts";
import { claimRun, finishRun } from "./claim-run.ts";

/**
 * Every scheduled job, declared once (STYLE.md 9). The cron route `/api/cron/<id>` and
 * `npm run cli -- jobs run <id>` both run them through runJob; vercel.json lists the same schedules.
 * A job runs at most once per period: `period(now)` names the slot (an hour, a day…).
 */
export interface JobDefinition {
  id: string;
  description: string;
  /** 5-field cron in UTC, as written to vercel.json. */
  schedule: string;
  period(now: Date): string;
  run(db: Db, now: Date): Promise<unknown>;
}

const hourly = (now: Date) => now.toISOString().slice(0, 13);
const daily = (now: Date) => now.toISOString().slice(0, 10);

export const JOBS: JobDefinition[] = [
  {
    id: "auth-cleanup",
    description: "Delete expired magic-link tokens and invitations.",
    schedule: "15 3 * * *",
    period: daily,
    run: (db, now) => cleanupAuth(db, now),
  },
];

export const findJob = (id: string) => JOBS.find((job) => job.id === id);
export { daily, hourly };

export type JobOutcome = { job: string; period: string; status: "done" | "skipped"; result?: unknown };

export async function runJob(db: Db, id: string, now = new Date()): Promise<JobOutcome> {
  const job = findJob(id);
  if (!job) throw new Error(`Unknown job "${id}". Known jobs: ${JOBS.map((j) => j.id).join(", ")}.`);
  const period = job.period(now);
  if (!(await claimRun(db, job.id, "global", period))) return { job: job.id, period, status: "skipped" };
  try {
    const result = await job.run(db, now);
    await finishRun(db, job.id, "global", period, result);
    return { job: job.id, period, status: "done", result };
  } catch (error) {
    await finishRun(db, job.id, "global", period, { error: (error as Error).message }, false);
    throw error;
  }
}
