import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, expect, test, vi } from "vitest";
import { resetEnvCache } from "../../lib/config/env.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { runJob } from "../../lib/jobs/registry.ts";
import { useTestDb } from "../support/db.ts";
import { startFakeResend } from "../support/fake-resend.ts";
import { testWorkspace } from "../support/workspace.ts";

// The Friday summary's schedule (decision 018): hourly runs, one mail per member and ISO week, sent in the hour
// whose local time is Friday 17:xx in the workspace's own zone — across daylight-saving changes both ways.
const fake = await startFakeResend();
process.env.RESEND_API_BASE = fake.origin;
resetEnvCache();
afterAll(async () => {
  await fake.close();
  delete process.env.RESEND_API_BASE;
  resetEnvCache();
});

const { db } = await useTestDb();
const HOUR = 3600_000;
const run = promisify(execFile);

const berlin = await testWorkspace(db, { timezone: "Europe/Berlin" });
const la = await testWorkspace(db, { timezone: "America/Los_Angeles" });
// A second member of Berlin who turned the summary off: never mailed.
const off = await db.user.create({ data: { email: `off.${Date.now()}@test.test` } });
await db.membership.create({
  data: { userId: off.id, workspaceId: berlin.workspaceId, role: "member", weeklySummary: false },
});

const mailsOf = (workspaceId: string) =>
  db.outboxEmail.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" } });

/** Runs the job at every whole hour of [from, to) as Vercel's hourly cron would; the hours each mail went out. */
async function everyHour(from: string, to: string, ids: string[]) {
  const sentAt: Record<string, string[]> = Object.fromEntries(ids.map((id) => [id, []]));
  const count = async () =>
    Object.fromEntries(
      await Promise.all(
        ids.map(async (id) => [id, await db.summarySend.count({ where: { workspaceId: id, status: "sent" } })]),
      ),
    );
  let before = await count();
  for (let t = Date.parse(from); t < Date.parse(to); t += HOUR) {
    const out = await runJob(db, "weekly-summary", new Date(t));
    expect(out.status).toBe("done");
    const after = await count();
    for (const id of ids) for (let i = before[id]; i < after[id]; i++) sentAt[id]?.push(new Date(t).toISOString());
    before = after;
  }
  return sentAt;
}

test("autumn: Berlin leaves summer time on Oct 25, Los Angeles on Nov 1 — one mail a week each, at Friday 17:00 local", async () => {
  const sent = await everyHour("2026-10-12T00:00:00Z", "2026-11-09T00:00:00Z", [berlin.workspaceId, la.workspaceId]);
  expect(sent[berlin.workspaceId]).toEqual([
    "2026-10-16T15:00:00.000Z", // CEST, +2
    "2026-10-23T15:00:00.000Z",
    "2026-10-30T16:00:00.000Z", // CET, +1
    "2026-11-06T16:00:00.000Z",
  ]);
  expect(sent[la.workspaceId]).toEqual([
    "2026-10-17T00:00:00.000Z", // PDT, −7: Friday 17:00 is Saturday 00:00 UTC
    "2026-10-24T00:00:00.000Z",
    "2026-10-31T00:00:00.000Z",
    "2026-11-07T01:00:00.000Z", // PST, −8
  ]);
  const weeks = await db.summarySend.findMany({
    where: { workspaceId: berlin.workspaceId },
    orderBy: { week: "asc" },
    select: { week: true, userId: true, status: true },
  });
  expect(weeks.map((w) => w.week)).toEqual(["2026-W42", "2026-W43", "2026-W44", "2026-W45"]);
  expect(new Set(weeks.map((w) => w.userId))).toEqual(new Set([berlin.ownerId]));
  const mails = await mailsOf(berlin.workspaceId);
  expect(mails).toHaveLength(4);
  expect(mails.every((m) => m.to === berlin.ownerEmail)).toBe(true);
  // Each run is recorded: the workspace's slot per ISO week, the run's per hour.
  const slots = await db.jobRun.findMany({
    where: { job: "weekly-summary", scope: la.workspaceId },
    orderBy: { period: "asc" },
  });
  expect(slots.map((s) => [s.period, s.status])).toEqual([
    ["2026-W42", "done"],
    ["2026-W43", "done"],
    ["2026-W44", "done"],
    ["2026-W45", "done"],
  ]);
  expect(slots[0]?.result).toMatchObject({ week: "2026-W42", recipients: 1, sent: 1, alreadySent: 0, failed: 0 });
  expect(await db.jobRun.count({ where: { job: "weekly-summary", scope: "global" } })).toBe(28 * 24);
});

test("spring: Los Angeles starts summer time on Mar 14, Berlin on Mar 28 — still one each a week, at 17:00 local", async () => {
  const sent = await everyHour("2027-03-08T00:00:00Z", "2027-04-05T00:00:00Z", [berlin.workspaceId, la.workspaceId]);
  expect(sent[berlin.workspaceId]).toEqual([
    "2027-03-12T16:00:00.000Z",
    "2027-03-19T16:00:00.000Z",
    "2027-03-26T16:00:00.000Z", // still CET: the change is on Sunday the 28th
    "2027-04-02T15:00:00.000Z", // CEST
  ]);
  expect(sent[la.workspaceId]).toEqual([
    "2027-03-13T01:00:00.000Z", // PST
    "2027-03-20T00:00:00.000Z", // PDT
    "2027-03-27T00:00:00.000Z",
    "2027-04-03T00:00:00.000Z",
  ]);
});

test("a retry, a second call and two concurrent runs in the due hour send nothing twice", async () => {
  const ws = await testWorkspace(db, { timezone: "Europe/Berlin" });
  // Friday Dec 4 2026, 17:05 and 17:40 in Berlin (CET): the same hour, then two instances at once.
  const first = await runJob(db, "weekly-summary", new Date("2026-12-04T16:05:00Z"));
  expect(first.status).toBe("done");
  expect(await runJob(db, "weekly-summary", new Date("2026-12-04T16:40:00Z"))).toMatchObject({ status: "skipped" });
  const [a, b] = await Promise.all([
    runJob(db, "weekly-summary", new Date("2026-12-04T17:00:00Z")),
    runJob(db, "weekly-summary", new Date("2026-12-04T17:00:30Z")),
  ]);
  expect([a.status, b.status].sort()).toEqual(["done", "skipped"]);
  // A retry of the workspace's slot itself (as after a crash that lost the slot's record): the mail's own claim holds.
  await db.jobRun.deleteMany({ where: { job: "weekly-summary", scope: ws.workspaceId } });
  const again = await runJob(db, "weekly-summary", new Date("2026-12-04T18:00:00Z"));
  expect(again.result).toMatchObject({ done: expect.any(Number) });
  const slot = await db.jobRun.findFirstOrThrow({ where: { job: "weekly-summary", scope: ws.workspaceId } });
  expect(slot.result).toMatchObject({ sent: 0, alreadySent: 1 });
  expect(await mailsOf(ws.workspaceId)).toHaveLength(1);
});

test("a server down at 17:00 catches up once that evening, not later; before 17:00 nothing goes", async () => {
  const ws = await testWorkspace(db, { timezone: "America/Los_Angeles" });
  // Friday Dec 11 2026 in Los Angeles (PST): 16:59 nothing; first run at 21:30 sends; 23:00 and Saturday nothing.
  await runJob(db, "weekly-summary", new Date("2026-12-12T00:59:00Z"));
  expect(await mailsOf(ws.workspaceId)).toHaveLength(0);
  await runJob(db, "weekly-summary", new Date("2026-12-12T05:30:00Z"));
  expect(await mailsOf(ws.workspaceId)).toHaveLength(1);
  await runJob(db, "weekly-summary", new Date("2026-12-12T07:00:00Z"));
  await runJob(db, "weekly-summary", new Date("2026-12-12T09:00:00Z")); // Saturday 01:00
  expect(await mailsOf(ws.workspaceId)).toHaveLength(1);
  // A workspace whose server was down the whole evening: Saturday does not send last week's.
  const missed = await testWorkspace(db, { timezone: "America/Los_Angeles" });
  await runJob(db, "weekly-summary", new Date("2026-12-12T10:00:00Z"));
  expect(await mailsOf(missed.workspaceId)).toHaveLength(0);
});

test("through the workspace's own Resend: a refused send is retried the next hour with the same idempotency key, once", async () => {
  const ws = await testWorkspace(db, { timezone: "Europe/Berlin" });
  await connectIntegration(db, ws.workspaceId, "resend", {
    apiKey: "re_Summary_Key_0001",
    webhookSecret: "whsec_U3VtbWFyeVNpZ25pbmdTZWNyZXQx",
    from: "Acme <hello@mail.acme.test>",
  });
  fake.requests.length = 0;
  fake.state.fail = { statusCode: 500, name: "internal_server_error", message: "try later" };
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  await expect(runJob(db, "weekly-summary", new Date("2026-12-18T16:00:00Z"))).rejects.toThrow(
    /failed for 1 workspace/,
  );
  expect(String(logged.mock.calls[0]?.[0])).toMatch(/weekly-summary.*failed for workspace/);
  logged.mockRestore();
  const failed = await db.summarySend.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } });
  expect(failed.status).toBe("failed");
  fake.state.fail = null;
  await runJob(db, "weekly-summary", new Date("2026-12-18T17:00:00Z"));
  await runJob(db, "weekly-summary", new Date("2026-12-18T18:00:00Z"));
  const sends = fake.requests.filter(
    (r) => r.method === "POST" && r.path === "/emails" && r.body?.to?.[0] === ws.ownerEmail,
  );
  expect(sends).toHaveLength(2);
  expect(new Set(sends.map((r) => r.headers["idempotency-key"]))).toEqual(new Set([`onethread-summary-${failed.id}`]));
  const last = sends.at(-1);
  expect(last?.body.from).toBe("Acme <hello@mail.acme.test>");
  expect(last?.body.headers).toEqual({
    "List-Unsubscribe": expect.stringMatching(/^<http:\/\/localhost:3000\/u\/summary\/[A-Za-z0-9_-]+>$/),
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  });
  expect(await db.summarySend.findFirstOrThrow({ where: { workspaceId: ws.workspaceId } })).toMatchObject({
    status: "sent",
    via: "workspace-resend",
  });
  expect(await mailsOf(ws.workspaceId)).toHaveLength(0);
});

test("npm run cli -- jobs run weekly-summary --now: the same job as of that time, once", async () => {
  const ws = await testWorkspace(db, { timezone: "Asia/Kolkata" });
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const cli = (now: string) =>
    run("npx", ["--no-install", "tsx", "scripts/cli.ts", "jobs", "run", "weekly-summary", "--now", now], {
      env: { ...base, DATABASE_URL: process.env.DATABASE_URL } as NodeJS.ProcessEnv,
      timeout: 120_000,
    });
  // Friday Jan 1 2027, 17:30 in Kolkata (+5:30) is 12:00 UTC; 16:30 (11:00 UTC) is too early.
  const early = JSON.parse((await cli("2027-01-01T11:00:00Z")).stdout);
  expect(early).toMatchObject({ job: "weekly-summary", status: "done" });
  expect(await mailsOf(ws.workspaceId)).toHaveLength(0);
  const due = JSON.parse((await cli("2027-01-01T12:00:00Z")).stdout);
  expect(due).toMatchObject({ job: "weekly-summary", period: "2027-01-01T12", status: "done" });
  expect(due.result.done).toBeGreaterThanOrEqual(1);
  expect((await cli("2027-01-01T12:20:00Z")).stdout).toContain('"status":"skipped"');
  const mails = await mailsOf(ws.workspaceId);
  expect(mails).toHaveLength(1);
  expect(mails[0]?.subject).toBe(
    `${(await db.workspace.findUniqueOrThrow({ where: { id: ws.workspaceId } })).name}: your week, Dec 25 – Jan 1`,
  );
  expect(await db.summarySend.findFirst({ where: { workspaceId: ws.workspaceId } })).toMatchObject({
    week: "2026-W53",
  });
}, 240_000);
