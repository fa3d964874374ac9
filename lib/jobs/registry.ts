import type { Db } from "../db/client.ts";
import { PURGE_JOB, purgeExpired } from "../privacy/purge-expired.ts";
import { countTopics, TOPICS_JOB } from "../topics/count-topics.ts";
import { cleanupAuth } from "./auth-cleanup.ts";
import { claimRun, finishRun, touchRun } from "./claim-run.ts";

/** What a running job gets besides the clock: its period, and a sign of life to give during long work. */
export interface JobContext {
  period: string;
  /** Keeps the run's slot from looking abandoned (claimRun retakes a slot left "running" for 15 minutes). */
  heartbeat(): Promise<void>;
}

/**
 * Every scheduled job, declared once (STYLE.md 9). The cron route `/api/cron/<id>`, `npm run cli -- jobs run
 * <id>` and the scheduler of a self-hosted `npm start` (lib/jobs/scheduler.ts) all run them through runJob;
 * vercel.json lists the same schedules. A job runs at most once per period: `period(now)` names the slot.
 */
export interface JobDefinition {
  id: string;
  description: string;
  /** 5-field cron in UTC, as written to vercel.json. */
  schedule: string;
  period(now: Date): string;
  run(db: Db, now: Date, ctx: JobContext): Promise<unknown>;
}

const hourly = (now: Date) => now.toISOString().slice(0, 13);
const daily = (now: Date) => now.toISOString().slice(0, 10);
/** "2026-12-02T12:35": the five-minute slot holding `now`. */
const fiveMinutes = (now: Date) =>
  `${now.toISOString().slice(0, 14)}${String(now.getUTCMinutes() - (now.getUTCMinutes() % 5)).padStart(2, "0")}`;

export const JOBS: JobDefinition[] = [
  {
    id: "auth-cleanup",
    description: "Delete expired magic-link tokens and invitations.",
    schedule: "15 3 * * *",
    period: daily,
    run: (db, now) => cleanupAuth(db, now),
  },
  {
    id: PURGE_JOB,
    description: "Delete events past each workspace's retention and the people left with nothing (P14).",
    schedule: "30 3 * * *",
    period: daily,
    run: (db, now, ctx) => purgeExpired(db, now, ctx.period, { heartbeat: ctx.heartbeat }),
  },
  {
    id: TOPICS_JOB,
    description: "Count the topics customers asked about in the messages and forms that arrived since the last run.",
    schedule: "*/5 * * * *",
    period: fiveMinutes,
    run: (db, now, ctx) => countTopics(db, now, { heartbeat: ctx.heartbeat }),
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
  let beat = Date.now();
  const heartbeat = async () => {
    if (Date.now() - beat < 60_000) return;
    beat = Date.now();
    await touchRun(db, job.id, "global", period);
  };
  try {
    const result = await job.run(db, now, { period, heartbeat });
    await finishRun(db, job.id, "global", period, result);
    return { job: job.id, period, status: "done", result };
  } catch (error) {
    await finishRun(db, job.id, "global", period, { error: (error as Error).message }, false);
    throw error;
  }
}
