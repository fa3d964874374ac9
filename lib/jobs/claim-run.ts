import type { Db } from "../db/client.ts";

/**
 * Claims the (job, scope, period) slot: true when this caller should do the work. A finished or running
 * slot is not claimed again, so retries and double cron calls never repeat work; a failed slot, or one left
 * "running" for over 15 minutes by a crashed process, is claimed anew.
 */
export async function claimRun(db: Db, job: string, scope: string, period: string): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "JobRun" (id, job, scope, period, status, "startedAt")
    VALUES (gen_random_uuid(), ${job}, ${scope}, ${period}, 'running', now())
    ON CONFLICT (job, scope, period) DO NOTHING`;
  if (inserted === 1) return true;
  const retaken = await db.$executeRaw`
    UPDATE "JobRun" SET status = 'running', "startedAt" = now(), "finishedAt" = NULL, result = NULL
    WHERE job = ${job} AND scope = ${scope} AND period = ${period}
      AND (status = 'failed' OR (status = 'running' AND "startedAt" < now() - interval '15 minutes'))`;
  return retaken === 1;
}

export async function finishRun(db: Db, job: string, scope: string, period: string, result: unknown, ok = true) {
  await db.jobRun.update({
    where: { job_scope_period: { job, scope, period } },
    data: { status: ok ? "done" : "failed", finishedAt: new Date(), result: (result ?? null) as object },
  });
}

/** A running slot's sign of life: its start moves to now, so it is not taken for abandoned. */
export async function touchRun(db: Db, job: string, scope: string, period: string) {
  await db.$executeRaw`
    UPDATE "JobRun" SET "startedAt" = now() WHERE job = ${job} AND scope = ${scope} AND period = ${period} AND status = 'running'`;
}
