import { expect, test } from "vitest";
import { JOBS } from "../../lib/jobs/registry.ts";
import { createScheduler } from "../../lib/jobs/scheduler.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The self-hosted schedule (API.md "Cron and jobs"): `npm start` runs vercel.json's jobs itself, once per period
// however many processes run it (instrumentation.ts starts lib/jobs/scheduler.ts).
const { db } = await useTestDb();

// The two nightly jobs these cases are written around (other jobs, e.g. the five-minute `topics`, have their own tests).
const jobs = JOBS.filter((j) => j.id === "auth-cleanup" || j.id === "purge");

const runs = (job: string) => db.jobRun.findMany({ where: { job, scope: "global" }, orderBy: { period: "asc" } });

test("each minute runs the jobs whose schedule names it, and only those", async () => {
  const s = createScheduler(db, { jobs });
  expect(await s.tick(new Date("2026-12-01T03:14:00Z"))).toEqual([]);
  const at315 = await s.tick(new Date("2026-12-01T03:15:20Z"));
  expect(at315.map((o) => [o.job, o.status])).toEqual([["auth-cleanup", "done"]]);
  const at330 = await s.tick(new Date("2026-12-01T03:30:00Z"));
  expect(at330.map((o) => [o.job, o.status])).toEqual([["purge", "done"]]);
  expect((await runs("purge")).map((r) => [r.period, r.status])).toEqual([["2026-12-01", "done"]]);
});

test("two instances on one database: a period's run happens once, the other instance skips it", async () => {
  const w = await testWorkspace(db);
  await db.workspace.update({ where: { id: w.workspaceId }, data: { retentionMonths: 1 } });
  await w.ingest([ev("s1", "web", "page_view", "2026-09-01T10:00:00Z", { deviceId: "d_sched" })]);
  const one = createScheduler(db, { jobs });
  const two = createScheduler(db, { jobs });
  const at = new Date("2026-11-20T03:30:00Z");
  const [a, b] = await Promise.all([one.tick(at), two.tick(at)]);
  const outcomes = [...(a ?? []), ...(b ?? [])].map((o) => o.status).sort();
  expect(outcomes).toEqual(["done", "skipped"]);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("on start, a job whose time this period has passed runs once; one not yet due waits", async () => {
  const s = createScheduler(db, { jobs });
  const late = await s.catchUp(new Date("2026-11-10T10:00:00Z"));
  expect(late.map((o) => [o.job, o.status]).sort()).toEqual([
    ["auth-cleanup", "done"],
    ["purge", "done"],
  ]);
  expect((await s.catchUp(new Date("2026-11-10T11:00:00Z"))).map((o) => o.status)).toEqual(["skipped", "skipped"]);
  expect(await s.catchUp(new Date("2026-11-11T02:00:00Z"))).toEqual([]);
});
