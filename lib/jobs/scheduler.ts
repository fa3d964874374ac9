import type { Db } from "../db/client.ts";
import { processShared } from "../process-shared.ts";
import { type CronSchedule, cronMatches, parseCron, previousCronTime } from "./cron-schedule.ts";
import { JOBS, type JobDefinition, type JobOutcome, runJob } from "./registry.ts";

export interface Scheduler {
  /** Runs the jobs due in the minute holding `now` (the timer calls it each minute; tests call it directly). */
  tick(now: Date): Promise<JobOutcome[]>;
  /** Runs what should already have run this period (a server started after the scheduled minute). */
  catchUp(now: Date): Promise<JobOutcome[]>;
  stop(): void;
}

export interface SchedulerOptions {
  jobs?: JobDefinition[];
  /** Start the minute timer (the server does; tests drive `tick` themselves). */
  timer?: boolean;
}

/**
 * The self-hosted schedule (API.md "Cron and jobs"): what Vercel's cron does from vercel.json, done by
 * `npm start`'s own process. Each minute, every job whose schedule names that minute runs through runJob, whose
 * JobRun slot (job, period) lets only one of several instances or processes do a period's work: the others
 * find it claimed and skip. A job still running here is not started again. On start, a job whose scheduled time
 * this period has passed runs at once (a server down at 03:30 still purges that night, once). The same on the
 * embedded database: the jobs run on the app's own pool, in short statements.
 */
export function createScheduler(db: Db, options: SchedulerOptions = {}): Scheduler {
  const jobs = (options.jobs ?? JOBS).map((job) => ({ job, schedule: parseCron(job.schedule) as CronSchedule }));
  const running = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const run = async (job: JobDefinition, now: Date): Promise<JobOutcome | null> => {
    if (running.has(job.id)) return null;
    running.add(job.id);
    try {
      return await runJob(db, job.id, now);
    } catch (error) {
      console.error(`Scheduled job "${job.id}" failed:`, error);
      return null;
    } finally {
      running.delete(job.id);
    }
  };
  const all = async (due: JobDefinition[], now: Date) =>
    (await Promise.all(due.map((job) => run(job, now)))).filter((o): o is JobOutcome => o !== null);

  const scheduler: Scheduler = {
    tick: (now) =>
      all(
        jobs.filter((j) => cronMatches(j.schedule, now)).map((j) => j.job),
        now,
      ),
    catchUp: (now) =>
      all(
        jobs
          .filter((j) => {
            const last = previousCronTime(j.schedule, now);
            return last !== null && j.job.period(last) === j.job.period(now);
          })
          .map((j) => j.job),
        now,
      ),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };

  if (options.timer) {
    const arm = () => {
      if (stopped) return;
      // A second into the next minute, so the clock reads that minute whatever the timer's drift.
      const wait = 60_000 - (Date.now() % 60_000) + 1000;
      timer = setTimeout(() => {
        void scheduler.tick(new Date()).finally(arm);
      }, wait);
      timer.unref?.();
    };
    arm();
  }
  return scheduler;
}

const started = processShared("scheduler", () => ({ scheduler: null as Scheduler | null }));

/**
 * Starts this process's scheduler once (instrumentation.ts, for `npm start` and any self-hosted Next server).
 * Not on Vercel, whose cron calls /api/cron/<job> instead, nor with `JOBS_SCHEDULER=off` (a deployment that
 * schedules `npm run cli -- jobs run` itself, or several instances where one is enough).
 */
export function startScheduler(db: Db) {
  if (started.scheduler || process.env.VERCEL || process.env.JOBS_SCHEDULER === "off") return started.scheduler;
  const scheduler = createScheduler(db, { timer: true });
  started.scheduler = scheduler;
  void scheduler.catchUp(new Date());
  return scheduler;
}
