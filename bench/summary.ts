// The Friday summary workload (issue 13 item 2, docs/decisions/018): 1,000 workspaces in one time zone, so all
// of them are due in the same hourly run, each with modest, realistic data — 25 people over three weeks (page
// views from a campaign, a quote form, emails, WhatsApp messages, a payment for every fifth person, a refund,
// topic counts) and two members who get the mail. Then the job itself (runJob, what GET /api/cron/weekly-summary
// runs) for one Friday 17:00:
//   (a) through the app's mail path (here the dev outbox: the figures, the render and the mail's rows), and
//   (b) a week later through each workspace's own Resend, a local fake answering each send after 100 ms.
// The limit it is compared with: one Vercel function invocation, 300 s (the default maximum duration with Fluid
// compute, every plan); the job stops taking workspaces after 240 s and leaves the rest to the next hour.
// Its table lives in its own section of docs/BENCHMARKS.md (between the markers below).
import fs from "node:fs";
import os from "node:os";
import { createDb } from "../lib/db/client.ts";
import { ingestEvents } from "../lib/ingest/ingest-events.ts";
import type { IngestEventInput } from "../lib/ingest/schemas.ts";
import { connectIntegration } from "../lib/integrations/connect-integration.ts";
import { runJob } from "../lib/jobs/registry.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { startFakeResend } from "../tests/support/fake-resend.ts";
import { benchDatabase, benchEnv } from "./server.ts";
import { personEvents } from "./workload.ts";

const WORKSPACES = Number(process.env.BENCH_SUMMARY_WORKSPACES ?? 1000);
const PEOPLE = 25;
const BEGIN = "<!-- summary: written by npm run bench (bench/summary.ts) -->";
const END = "<!-- /summary -->";
const LIMIT_S = 300;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const DAY = 86_400_000;
// Berlin, CET: Friday Nov 13 and Nov 20 2026, 17:00 local = 16:00 UTC. The data: Oct 30 to Nov 20.
const FRIDAYS = ["2026-11-13T16:05:00Z", "2026-11-20T16:05:00Z"];
const T0 = Date.parse("2026-10-30T16:00:00Z");

function workspaceEvents(w: number): IngestEventInput[] {
  const out: IngestEventInput[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    // One person every ~20 hours over the three weeks, each with the ten events of bench/workload.ts.
    for (const e of personEvents(`w${w}`, i, 10, { t0: T0, spacingMs: (21 * DAY) / PEOPLE - 1_000 }))
      out.push(e as unknown as IngestEventInput);
  }
  out.push({
    id: `refund_${w}`,
    source: "webhook",
    type: "payment_refunded",
    occurredAt: new Date(T0 + 16 * DAY).toISOString(),
    identity: { email: `p5.w${w}@bench.test` },
    properties: { amount: 2500, currency: "usd" },
  } as unknown as IngestEventInput);
  return out;
}

async function load(db: ReturnType<typeof createDb>) {
  const started = performance.now();
  let next = 0;
  let events = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let w = next++; w < WORKSPACES; w = next++) {
        const ws = await createWorkspace(db, {
          name: `Summary ${w}`,
          ownerEmail: `owner${w}@summary.bench.test`,
          timezone: "Europe/Berlin",
        });
        const user = await db.user.create({ data: { email: `member${w}@summary.bench.test` } });
        await db.membership.create({ data: { userId: user.id, workspaceId: ws.workspaceId, role: "member" } });
        const full = await db.workspace.findUniqueOrThrow({
          where: { id: ws.workspaceId },
          select: {
            id: true,
            hashSalt: true,
            defaultCountry: true,
            blockedValues: true,
            timezone: true,
            honorDoNotTrack: true,
          },
        });
        const batch = workspaceEvents(w);
        await ingestEvents(db, full, batch);
        events += batch.length;
        const topics = await Promise.all(
          ["quote", "storage", "piano", "pricing", "weekend"].map((name) =>
            db.topic.create({ data: { workspaceId: ws.workspaceId, name, label: name } }),
          ),
        );
        await db.topicCount.createMany({
          data: topics.flatMap((t, k) =>
            Array.from({ length: 21 }, (_, d) => ({
              topicId: t.id,
              day: new Date(T0 + (d + 1) * DAY),
              count: 1 + ((d * (k + 1)) % 4),
            })),
          ),
        });
        if (w % 100 === 99) process.stdout.write(`\rloaded ${w + 1} workspaces`);
      }
    }),
  );
  process.stdout.write("\n");
  return { events, seconds: (performance.now() - started) / 1000 };
}

/** The machine's 1-minute load average, for the figures' context (other sessions share the cores). */
const load1 = () => os.loadavg()[0]?.toFixed(1) ?? "?";

async function timedRun(db: ReturnType<typeof createDb>, at: string) {
  const loadBefore = load1();
  const started = performance.now();
  const outcome = await runJob(db, "weekly-summary", new Date(at));
  const seconds = (performance.now() - started) / 1000;
  const totals = outcome.result as { done: number; skipped: number; failed: number; deferred: number };
  const sent = await db.summarySend.count({ where: { status: "sent", week: { not: "" } } });
  return { seconds, totals, sent, load: `${loadBefore} → ${load1()}` };
}

export async function summaryWorkload() {
  Object.assign(process.env, benchEnv);
  const fake = await startFakeResend();
  process.env.RESEND_API_BASE = fake.origin;
  const name = process.env.BENCH_DB ?? "onethread_bench_summary";
  const db0 = await benchDatabase(name);
  process.env.DATABASE_URL = db0.url;
  const db = createDb(db0.url, { poolMax: 10 });
  (globalThis as { __onethreadDb?: typeof db }).__onethreadDb = db;
  try {
    const loaded = await load(db);
    console.log(`loaded ${fmt(loaded.events)} events in ${loaded.seconds.toFixed(0)} s`);
    const outbox = await timedRun(db, FRIDAYS[0] as string);
    console.log("app mail (outbox):", outbox);
    const rows = await db.workspace.findMany({ select: { id: true } });
    for (const [i, w] of rows.entries())
      await connectIntegration(db, w.id, "resend", {
        apiKey: `re_benchkey_${i}`,
        webhookSecret: "whsec_QmVuY2hTdW1tYXJ5U2lnbmluZzAx",
        from: `Bench ${i} <hello@mail.bench.test>`,
      });
    fake.state.delayMs = 100;
    const resend = await timedRun(db, FRIDAYS[1] as string);
    console.log("workspace Resend (100 ms a send):", resend);
    const mails = {
      outbox: await db.outboxEmail.count(),
      resend: fake.requests.filter((r) => r.path === "/emails").length,
    };
    writeSection([
      `| the Friday summary of ${fmt(WORKSPACES)} workspaces due in the same hour (25 people, ~250 events, 2 members each; ${fmt(loaded.events)} events), app mail path (dev outbox): one run of the job (load average ${outbox.load}) | ${outbox.seconds.toFixed(1)} s (${outbox.totals.done} done, ${outbox.totals.deferred} deferred, ${fmt(mails.outbox)} mails) |`,
      `| the same a week later through each workspace's own Resend (a local fake answering each send after 100 ms; load average ${resend.load}) | ${resend.seconds.toFixed(1)} s (${resend.totals.done} done, ${resend.totals.deferred} deferred, ${fmt(mails.resend)} sends) |`,
      `| the limit compared with: one Vercel function invocation (default maximum duration with Fluid compute, every plan); the job takes no new workspace after 240 s | ${LIMIT_S} s |`,
    ]);
  } finally {
    await db.$disconnect();
    await fake.close();
    await db0.drop();
  }
}

function writeSection(rows: string[]) {
  const path = "docs/BENCHMARKS.md";
  const previous = fs.existsSync(path) ? fs.readFileSync(path, "utf8") : "";
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`;
  const section = `${BEGIN}
## The Friday summary

Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC by \`BENCH_ONLY=summary npm run bench\` (bench/summary.ts), in process on the
local Postgres (the job as the cron route runs it), ${machine}.

| measurement | result |
|---|---|
${rows.join("\n")}
${END}`;
  const start = previous.indexOf(BEGIN);
  const end = previous.indexOf(END);
  // Below the notes marker, as the privacy section: the full run's table is rewritten, this is kept.
  const body =
    start >= 0 && end > start
      ? previous.slice(0, start) + section + previous.slice(end + END.length)
      : `${previous.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(path, body);
  console.log(`\nWrote the summary section of ${path}`);
}
