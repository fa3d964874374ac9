import type { Db } from "../db/client.ts";
import { NUDGES_JOB, runNudges } from "../nudges/run-nudges.ts";
import { PURGE_JOB, purgeExpired } from "../privacy/purge-expired.ts";
import { DELIVER_JOB, deliverConversions } from "../sendback/deliver-conversions.ts";
import { SUMMARY_JOB, weeklySummaryJob } from "../summary/send-weekly-summaries.ts";
import { countTopics, TOPICS_JOB } from "../topics/count-topics.ts";
import { cleanupAuth } from "./auth-cleanup.ts";
import { claimRun, finishRun, touchRun } from "./claim-run.ts";
import { type EachWorkspace, type JobContext, runEachWorkspace } from "./each-workspace.ts";

/** What a running job gets besides the clock: its period, and a sign of life to give during long work. */
export type { JobContext };

/**
 * Every scheduled job, declared once (STYLE.md 9). The cron route `/api/cron/<id>`, `npm run cli -- jobs run
 * <id>` and the scheduler of a self-hosted `npm start` (lib/jobs/scheduler.ts) all run them through runJob;
 * vercel.json lists the same schedules. A job runs at most once per period: `period(now)` names the slot.
 */
interface JobBase {
  id: string;
  description: string;
  /** 5-field cron in UTC, as written to vercel.json. */
  schedule: string;
  /** The run's slot (scope "global"): one run per period, whoever calls. */
  period(now: Date): string;
}

/**
 * A job does its work in one `run`, or workspace by workspace (`eachWorkspace`, lib/jobs/each-workspace.ts):
 * then each workspace has a slot of its own (scope = its id, period = what the job says, e.g. an ISO week)
 * inside the run's global one, in bounded pages and within a time budget.
 */
export type JobDefinition = JobBase &
  (
    | { run(db: Db, now: Date, ctx: JobContext): Promise<unknown>; eachWorkspace?: undefined }
    | { eachWorkspace: EachWorkspace; run?: undefined }
  );

const hourly = (now: Date) => now.toISOString().slice(0, 13);
const daily = (now: Date) => now.toISOString().slice(0, 10);
/** "2026-12-02T13:05": the 5-minute slot the time falls in (UTC). */
const fiveMinutes = (now: Date) => {
  const slot = new Date(Math.floor(now.getTime() / 300_000) * 300_000);
  return slot.toISOString().slice(0, 16);
};

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
    id: DELIVER_JOB,
    description: "Send conversions of people from ads back to Meta and Google (P5), retrying with backoff.",
    schedule: "* * * * *",
    period: (now) => now.toISOString().slice(0, 16),
    run: (db, now) => deliverConversions(db, now),
  },
  {
    id: SUMMARY_JOB,
    description: "Email each workspace's Friday summary at Friday 17:00 in its own time zone (once a week).",
    schedule: "0 * * * *",
    period: hourly,
    eachWorkspace: weeklySummaryJob,
  },
  {
    id: NUDGES_JOB,
    description:
      "Fire the time-based nudges (quote opened, no reply in 48 h; missed call not returned in 2 h) and retry their deliveries.",
    schedule: "*/5 * * * *",
    period: fiveMinutes,
    run: (db, now) => runNudges(db, now),
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
    const ctx = { period, heartbeat };
    const result = job.eachWorkspace
      ? await runEachWorkspace(db, job.id, job.eachWorkspace, now, ctx)
      : await job.run(db, now, ctx);
    await finishRun(db, job.id, "global", period, result);
    return { job: job.id, period, status: "done", result };
  } catch (error) {
    await finishRun(db, job.id, "global", period, { error: (error as Error).message }, false);
    throw error;
  }
}
