// `npm run bench`: the speed figures of docs/BENCHMARKS.md, measured through HTTP against the production
// build on the local Postgres, and written to docs/BENCHMARKS.md.
//   1. ingest throughput: 20,000 events over 2,000 people, batches of 100, 4 concurrent clients; and the raw
//      limit: the rows the app stored, written again by multi-row INSERTs into an indexed copy of "Event".
//   2. lookup by phone and a 100-event timeline page: p50/p95 over 1,000 requests at 10,000 and 1,000,000
//      events (100,000 people at the large size).
//   3. a merge that moves a person with 1,000 events.
//   4. the tracker's real pattern: one page_view of a new device per POST /api/collect, 10 concurrent clients,
//      against a bare node:http server that parses the body and answers 202 (the HTTP floor); with the time
//      from a collect's 202 to its event being visible in GET /api/v1/profiles?deviceId=.
//   5. interleaved batches (event i of person i mod 2,000), 4 clients × 100, against the raw limit of their rows.
//   6. the server's resident memory after the load.
//   7. Twilio inbound: 1,000 signed SMS/WhatsApp deliveries each posted twice, 8 concurrent (bench/twilio.ts).
//   8. the owner's report pages and the report endpoints at 1,000,000 events and 100,000 people (bench/reports.ts).
//   9. the workspace export of 1,000,000 events and their nightly purge while ingesting (bench/privacy.ts).
// BENCH_ONLY=ingest runs the ingest workloads only (1, 4, 5, 6); BENCH_ONLY=collect only 4 and 6;
// BENCH_ONLY=twilio only 7: each replaces its own rows of docs/BENCHMARKS.md and keeps the others; BENCH_ONLY=reports
// only 8; BENCH_ONLY=privacy only 9; BENCH_ONLY=summary only the Friday summary of 1,000 workspaces (bench/summary.ts,
// in process, no app server); BENCH_ONLY=topics the topic counter against the messages' ingest rate
// (bench/topics.ts, figures printed for the notes). BENCH_PORT, BENCH_FLOOR_PORT and BENCH_DB move the servers and the database (two runs side by side).
// BENCH_LARGE=0 skips the 1,000,000-event size and runs shorter collect rounds (a quick run).
import fs from "node:fs";
import os from "node:os";
import pg from "pg";
import { createDb } from "../lib/db/client.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { privacyWorkload } from "./privacy.ts";
import { reportsWorkload } from "./reports.ts";
import { benchDatabase, benchEnv, percentile, rssOf, startApp, startFloor } from "./server.ts";
import { summaryWorkload } from "./summary.ts";
import { topicsWorkload } from "./topics.ts";
import { twilioWorkload } from "./twilio.ts";
import {
  beacon,
  collectBody,
  drive,
  get,
  ingestAll,
  ingestTimed,
  interleave,
  interleavedEvents,
  personEvents,
  phoneOf,
} from "./workload.ts";

Object.assign(process.env, benchEnv);
const PORT = Number(process.env.BENCH_PORT ?? 3210);
const FLOOR_PORT = Number(process.env.BENCH_FLOOR_PORT ?? PORT + 1);
const only = process.env.BENCH_ONLY;
const large = process.env.BENCH_LARGE !== "0";

/**
 * The raw limit, one round: the very rows the app stored for a workspace (read back from "Event": same ids,
 * identity hashes, properties and summaries) written again by multi-row INSERTs of 100 rows from `clients`
 * connections into an empty copy of "Event" with all its indexes. No identity, no HTTP: just the writes.
 */
async function rawRound(url: string, workspaceId: string, clients = 4) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE TABLE IF NOT EXISTS raw_event (LIKE "Event" INCLUDING ALL); TRUNCATE raw_event`);
  const { rows } = await admin.query({
    text: `SELECT id, "workspaceId", "profileId", "clientId", source::text, type, "occurredAt", rung, channel, direction,
             "identityHashes", campaign::text, properties::text, summary
           FROM "Event" WHERE "workspaceId" = $1::uuid ORDER BY "occurredAt", id`,
    values: [workspaceId],
    rowMode: "array",
  });
  await admin.end();
  const pool = new pg.Pool({ connectionString: url, max: clients });
  const batches: unknown[][][] = [];
  for (let i = 0; i < rows.length; i += 100) batches.push(rows.slice(i, i + 100));
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as unknown[][];
        const params: unknown[] = [];
        const values = batch
          .map(
            (row) =>
              `(${row.map((v, i) => `$${params.push(v)}${i === 4 ? '::"EventSource"' : i === 11 || i === 12 ? "::jsonb" : ""}`).join(",")})`,
          )
          .join(",");
        await pool.query(
          `INSERT INTO raw_event (id, "workspaceId", "profileId", "clientId", source, type, "occurredAt", rung, channel,
             direction, "identityHashes", campaign, properties, summary) VALUES ${values}
           ON CONFLICT ("workspaceId", "clientId") DO NOTHING`,
          params,
        );
      }
    }),
  );
  const rate = rows.length / ((performance.now() - start) / 1000);
  await pool.end();
  return rate;
}

/** p50 and p95 of `n` requests one after the other, each timed from sending to the last byte of the answer. */
async function latency(n: number, request: (i: number) => Promise<{ status: number }>) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const res = await request(i);
    if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function readSizes(base: string, key: string, people: number, heavy: string[]) {
  const auth = { authorization: `Bearer ${key}` };
  const lookup = await latency(1000, (i) =>
    get(`${base}/api/v1/profiles?phone=${encodeURIComponent(phoneOf((i * 7919) % people))}`, auth),
  );
  const ids: string[] = [];
  for (const email of heavy) {
    const res = await fetch(`${base}/api/v1/profiles?email=${encodeURIComponent(email)}`, { headers: auth });
    ids.push(((await res.json()) as { profile: { id: string } }).profile.id);
  }
  const timeline = await latency(1000, (i) =>
    get(`${base}/api/v1/profiles/${ids[i % ids.length]}/timeline?limit=100`, auth),
  );
  return { lookup, timeline };
}

/** People with `count` events each (for timeline pages and the merge). */
const heavyPerson = (prefix: string, i: number, count: number) => personEvents(prefix, i, count);

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const p50p99 = (sorted: number[]) => `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 99))}`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

type Db = ReturnType<typeof createDb>;

/**
 * While `load` runs: one more client that sends a collect of a new device, and from its 202 polls
 * GET /api/v1/profiles?deviceId= (every 5 ms) until the profile answers; the time from the 202 to that answer.
 */
async function visibility(base: string, site: string, apiKey: string, prefix: string, load: Promise<unknown>) {
  let done = false;
  const stop = () => {
    done = true;
  };
  load.then(stop, stop);
  const times: number[] = [];
  const auth = { authorization: `Bearer ${apiKey}` };
  for (let j = 0; !done; j++) {
    await beacon(base, collectBody(site, prefix, j));
    const acked = performance.now();
    for (let tries = 0; ; tries++) {
      const res = await get(`${base}/api/v1/profiles?deviceId=d_${prefix}_${j}`, auth);
      if (res.status === 200) break;
      if (res.status !== 404 || tries > 2000) throw new Error(`lookup of a collected device answered ${res.status}`);
      await sleep(5);
    }
    times.push(performance.now() - acked);
    await sleep(20);
  }
  await load;
  return times.sort((a, b) => a - b);
}

/**
 * The tracker's real pattern: single-event collects of new devices from 10 clients, app rounds alternating
 * with rounds of the HTTP floor, after a warm-up round of each. Each app round goes to a fresh workspace.
 */
async function collectWorkload(db: Db, appBase: string, report: string[]) {
  const clients = 10;
  const appN = large ? 4000 : 1500;
  const floorN = 30_000;
  const floor = await startFloor(FLOOR_PORT);
  try {
    const floorRound = async (prefix: string) => {
      const bodies = Array.from({ length: floorN }, (_, i) => collectBody("pk_floor", prefix, i));
      const run = await drive(bodies, clients, (b) => beacon(floor.base, b, "/"));
      return { rate: floorN / run.seconds, times: run.times };
    };
    const appRound = async (name: string, prefix: string) => {
      const w = await createWorkspace(db, { name, ownerEmail: `${prefix}@bench.test` });
      const bodies = Array.from({ length: appN }, (_, i) => collectBody(w.siteKey, prefix, i));
      const load = drive(bodies, clients, (b) => beacon(appBase, b));
      const visible = await visibility(appBase, w.siteKey, w.apiKey, `${prefix}v`, load);
      const run = await load;
      return { rate: appN / run.seconds, times: run.times, visible };
    };
    // Next's own floor: the same route and body with a malformed site key, answered 401 once the body is read
    // and parsed, before any database work: what any design inside this route pays per request.
    const nextRound = async (prefix: string) => {
      const bodies = Array.from({ length: appN }, (_, i) => collectBody("pk_not!a-key", prefix, i));
      const run = await drive(bodies, clients, (b) => beacon(appBase, b, "/api/collect", 401));
      return { rate: appN / run.seconds, times: run.times };
    };
    await floorRound("fw");
    await nextRound("nw");
    await appRound("Collect warm-up", "cw");
    const floors: { rate: number; times: number[] }[] = [];
    const nexts: { rate: number; times: number[] }[] = [];
    const apps: { rate: number; times: number[]; visible: number[] }[] = [];
    for (let round = 0; round < 3; round++) {
      floors.push(await floorRound(`f${round}`));
      nexts.push(await nextRound(`n${round}`));
      apps.push(await appRound(`Collect ${round}`, `c${round}`));
    }
    const best = <T extends { rate: number }>(xs: T[]) => xs.reduce((a, b) => (b.rate > a.rate ? b : a));
    const app = best(apps);
    const fl = best(floors);
    const ratio = (app.rate / fl.rate).toFixed(3);
    const ratios = apps.map((a, i) => (a.rate / (floors[i] as { rate: number }).rate).toFixed(3));
    console.log(
      `collect: app ${apps.map((a) => fmt(a.rate)).join(" / ")} events/s, floor ${floors.map((f) => fmt(f.rate)).join(" / ")} requests/s, ratio ${ratio} (rounds ${ratios.join(", ")})`,
    );
    console.log(
      `collect latency p50/p99 per round: ${apps.map((a) => p50p99(a.times)).join(" | ")}; floor ${floors.map((f) => p50p99(f.times)).join(" | ")}`,
    );
    console.log(`collect → visible p50/p99 per round: ${apps.map((a) => p50p99(a.visible)).join(" | ")}`);
    const nx = best(nexts);
    console.log(
      `next floor (401 before the database): ${nexts.map((r) => fmt(r.rate)).join(" / ")} requests/s, p50/p99 ${nexts.map((r) => p50p99(r.times)).join(" | ")}`,
    );
    report.push(
      `| collect, the tracker's pattern: one page_view of a new device per \`POST /api/collect\` (text/plain, Chrome user-agent), 10 clients, ${fmt(appN)} requests a round, best of 3 after a warm-up round (rounds: ${apps.map((a) => fmt(a.rate)).join(", ")}) | ${fmt(app.rate)} events/s |`,
    );
    report.push(
      `| HTTP floor: a bare node:http server that parses the body and answers 202, same load, ${fmt(floorN)} requests a round, rounds alternating with the app's (rounds: ${floors.map((f) => fmt(f.rate)).join(", ")}) | ${fmt(fl.rate)} requests/s |`,
    );
    report.push(
      `| Next's own floor: the same route and body with a malformed site key (401 after the body is read and parsed, before any database work), same load (rounds: ${nexts.map((r) => fmt(r.rate)).join(", ")}); p50 / p99 ${p50p99(nx.times)} | ${fmt(nx.rate)} requests/s |`,
    );
    report.push(
      `| ratio collect / floor (target ≥ 0.25, never below 0.10; per round: ${ratios.join(", ")}) | ${ratio} |`,
    );
    report.push(
      `| collect request p50 / p99, best round (rounds: ${apps.map((a) => p50p99(a.times)).join("; ")}); floor: ${p50p99(fl.times)} | ${p50p99(app.times)} |`,
    );
    report.push(
      `| collect's 202 → visible in \`GET /api/v1/profiles?deviceId=\`, p50 / p99 under that load (target p99 < 2 s; rounds: ${apps.map((a) => `${p50p99(a.visible)} of ${a.visible.length}`).join("; ")}) | ${p50p99(app.visible)} |`,
    );
  } finally {
    await floor.stop();
  }
}

/**
 * Interleaved batches: event i belongs to person i mod 2,000, so each batch of 100 touches 100 people;
 * 4 clients, against the raw limit of the very rows stored (as the contiguous workload). Warm-up, then
 * three rounds alternating with the raw limit's, each into a fresh workspace.
 */
async function interleavedWorkload(db: Db, url: string, appBase: string, report: string[]) {
  const warm = await createWorkspace(db, { name: "Interleaved warm-up", ownerEmail: "ilw@bench.test" });
  await ingestTimed(appBase, warm.apiKey, interleavedEvents("ilw"));
  const rounds: { rate: number; times: number[] }[] = [];
  const raws: number[] = [];
  for (let round = 0; round < 3; round++) {
    const w = await createWorkspace(db, { name: `Interleaved ${round}`, ownerEmail: `il${round}@bench.test` });
    rounds.push(await ingestTimed(appBase, w.apiKey, interleavedEvents(`il${round}`)));
    raws.push(await rawRound(url, w.workspaceId));
  }
  const app = rounds.reduce((a, b) => (b.rate > a.rate ? b : a));
  const raw = Math.max(...raws);
  const ratio = `${((app.rate / raw) * 100).toFixed(1)}%`;
  const ratios = rounds.map((r, i) => `${((r.rate / (raws[i] as number)) * 100).toFixed(1)}%`);
  console.log(
    `interleaved: app ${rounds.map((r) => fmt(r.rate)).join(" / ")} events/s, raw ${raws.map(fmt).join(" / ")}, ratio ${ratio}; batch p50/p99 ${rounds.map((r) => p50p99(r.times)).join(" | ")}`,
  );
  report.push(
    `| interleaved batches: event i of person i mod 2,000 (devices; an email on every 10th event, a phone on another), 20,000 events, batches of 100 = 100 people, 4 clients, best of 3 after a warm-up round (rounds: ${rounds.map((r) => fmt(r.rate)).join(", ")}) | ${fmt(app.rate)} events/s |`,
  );
  report.push(`| raw limit of those rows, as above (rounds: ${raws.map(fmt).join(", ")}) | ${fmt(raw)} events/s |`);
  report.push(
    `| ratio interleaved / raw (target ≥ 30%, never below 15%; per round: ${ratios.join(", ")}) | ${ratio} |`,
  );
  report.push(
    `| interleaved batch of 100: p50 / p99, best round (rounds: ${rounds.map((r) => p50p99(r.times)).join("; ")}) | ${p50p99(app.times)} |`,
  );
}

async function main() {
  if (only === "summary") return summaryWorkload();
  const db0 = await benchDatabase(process.env.BENCH_DB ?? "onethread_bench");
  const app = await startApp(db0.url, PORT);
  const rssAtStart = rssOf(app.pid);
  const db = createDb(db0.url, { poolMax: 2 });
  const report: string[] = [];
  try {
    if (only === "reports") return await reportsWorkload(db, app.base);
    if (only === "privacy") return await privacyWorkload(db, app);
    if (only === "topics") return await topicsWorkload(db, app.base);
    if (only === "collect") {
      await collectWorkload(db, app.base, report);
      report.push(
        `| server RSS (VmRSS of next-server) after the collect load (at start: ${mib(rssAtStart)}) | ${mib(rssOf(app.pid))} |`,
      );
      console.log(report.at(-1));
      return writeReport(report, COLLECT_ROWS);
    }
    if (only === "twilio") {
      await twilioWorkload(
        db,
        { ...app, database: process.env.BENCH_DB ?? "onethread_bench" },
        `http://localhost:${PORT}`,
        report,
      );
      return writeReport(report, TWILIO_ROWS);
    }
    const ws = await createWorkspace(db, { name: "Bench", ownerEmail: "bench@bench.test" });

    // 1. ingest throughput vs the raw limit. The server first takes one round into a workspace of its own, as a
    // server in production has been running for a while (V8 has compiled the hot path); then three rounds, each
    // 20,000 new events of 2,000 new people into a fresh workspace: best of 3, like the raw limit.
    const people = (prefix: string) => interleave(Array.from({ length: 2000 }, (_, i) => personEvents(prefix, i)));
    const warm = await createWorkspace(db, { name: "Warm-up", ownerEmail: "warm@bench.test" });
    await ingestAll(app.base, warm.apiKey, people("wu"));
    // App and raw rounds alternate, so both meet the machine in the same state (checkpoints, caches).
    const rounds: number[] = [];
    const raws: number[] = [];
    for (let round = 0; round < 3; round++) {
      const w =
        round === 0 ? ws : await createWorkspace(db, { name: `Bench ${round}`, ownerEmail: `b${round}@bench.test` });
      rounds.push(await ingestAll(app.base, w.apiKey, people(`in${round}`)));
      raws.push(await rawRound(db0.url, w.workspaceId));
    }
    const appRate = Math.max(...rounds);
    const rawRate = Math.max(...raws);
    const ratio = `${((appRate / rawRate) * 100).toFixed(1)}%`;
    console.log(
      `ingest: app ${rounds.map(fmt).join(" / ")} events/s, raw ${raws.map(fmt).join(" / ")} events/s, ratio ${ratio}`,
    );
    report.push(
      `| ingest through HTTP, identity resolution (20,000 events, 2,000 people, batches of 100, 4 clients), best of 3 after a warm-up round (rounds: ${rounds.map(fmt).join(", ")}) | ${fmt(appRate)} events/s |`,
    );
    report.push(
      `| raw limit: the rows the app stored, multi-row INSERTs of 100 from 4 connections into an indexed copy of "Event", best of 3 rounds alternating with the app's (rounds: ${raws.map(fmt).join(", ")}) | ${fmt(rawRate)} events/s |`,
    );
    report.push(`| ratio app / raw (target ≥ 15%; issue 9: ≥ 30%) | ${ratio} |`);

    await collectWorkload(db, app.base, report);
    await interleavedWorkload(db, db0.url, app.base, report);
    report.push(
      `| server RSS (VmRSS of next-server) after the ingest loads above (issue 9 target < 300 MiB; at start: ${mib(rssAtStart)}) | ${mib(rssOf(app.pid))} |`,
    );
    console.log(report.at(-1));

    if (only === "ingest") return writeReport(report, INGEST_ROWS);

    // 2. read latencies at 10,000 events, then at 1,000,000
    const ws2 = await createWorkspace(db, { name: "Reads", ownerEmail: "reads@bench.test" });
    const heavyEmails = Array.from({ length: 20 }, (_, i) => `p${i}.hv@bench.test`);
    await ingestAll(app.base, ws2.apiKey, interleave(Array.from({ length: 20 }, (_, i) => heavyPerson("hv", i, 150))));
    await ingestAll(app.base, ws2.apiKey, interleave(Array.from({ length: 700 }, (_, i) => personEvents("rd", i))));
    const small = await readSizes(app.base, ws2.apiKey, 700, heavyEmails);
    console.log("reads @10k", small);
    report.push(
      `| lookup by phone @ 10,000 events: p50 / p95 (1,000 requests) | ${ms(small.lookup.p50)} / ${ms(small.lookup.p95)} |`,
    );
    report.push(
      `| timeline page of 100 events @ 10,000 events: p50 / p95 | ${ms(small.timeline.p50)} / ${ms(small.timeline.p95)} |`,
    );
    if (large) {
      const chunk = 5000;
      for (let from = 700; from < 100_000; from += chunk) {
        const people = Array.from({ length: Math.min(chunk, 100_000 - from) }, (_, k) => personEvents("rd", from + k));
        await ingestAll(app.base, ws2.apiKey, interleave(people), 500, 4);
        process.stdout.write(`\rloaded ${from + people.length} people`);
      }
      process.stdout.write("\n");
      const count = await db.event.count({ where: { workspaceId: ws2.workspaceId } });
      const big = await readSizes(app.base, ws2.apiKey, 100_000, heavyEmails);
      console.log(`reads @${count}`, big);
      report.push(
        `| lookup by phone @ ${fmt(count)} events, 100,000 people: p50 / p95 | ${ms(big.lookup.p50)} / ${ms(big.lookup.p95)} |`,
      );
      report.push(
        `| timeline page of 100 events @ ${fmt(count)} events: p50 / p95 | ${ms(big.timeline.p50)} / ${ms(big.timeline.p95)} |`,
      );
    }

    // 3. a merge moving a person with 1,000 events
    const ws3 = await createWorkspace(db, { name: "Merge", ownerEmail: "merge@bench.test" });
    await ingestAll(app.base, ws3.apiKey, heavyPerson("mg", 1, 1000), 100, 1);
    await ingestAll(app.base, ws3.apiKey, heavyPerson("mh", 2, 10), 100, 1);
    const auth = { authorization: `Bearer ${ws3.apiKey}`, "content-type": "application/json" };
    const idOf = async (email: string) =>
      (
        (await (
          await fetch(`${app.base}/api/v1/profiles?email=${encodeURIComponent(email)}`, { headers: auth })
        ).json()) as { profile: { id: string } }
      ).profile.id;
    const big = await idOf("p1.mg@bench.test");
    const smallId = await idOf("p2.mh@bench.test");
    const start = performance.now();
    const res = await fetch(`${app.base}/api/v1/profiles/${smallId}/merge`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ otherProfileId: big }),
    });
    const mergeMs = performance.now() - start;
    if (!res.ok) throw new Error(`merge answered ${res.status}: ${await res.text()}`);
    console.log(`merge of a 1,000-event person: ${ms(mergeMs)}`);
    report.push(`| merge moving a person with 1,000 events (HTTP round trip) | ${ms(mergeMs)} |`);

    // 7. Twilio inbound deliveries and their replays
    await twilioWorkload(
      db,
      { ...app, database: process.env.BENCH_DB ?? "onethread_bench" },
      `http://localhost:${PORT}`,
      report,
    );
    report.push(
      `| server RSS at the end of the run${large ? " (after the 1,000,000-event load)" : ""} | ${mib(rssOf(app.pid))} |`,
    );
    writeReport(report);
    if (large) await reportsWorkload(db, app.base);
    if (large) await privacyWorkload(db, app);
  } finally {
    await app.stop();
    await db.$disconnect();
    await db0.drop();
  }
}

/** Everything below this line in docs/BENCHMARKS.md is written by hand and kept across runs. */
const NOTES_MARKER = "<!-- notes: kept by npm run bench -->";

/** A run of some workloads only: what its rows are called, and how each of its rows of the table begins. */
interface Slice {
  name: string;
  prefixes: string[];
}

const INGEST_ROWS: Slice = {
  name: "ingest",
  prefixes: [
    "| ingest through",
    "| raw limit",
    "| ratio",
    "| collect",
    "| HTTP floor",
    "| Next's own floor",
    "| interleaved",
    "| server RSS (VmRSS of next-server) after the ingest",
  ],
};
const COLLECT_ROWS: Slice = {
  name: "collect",
  prefixes: [
    "| collect",
    "| HTTP floor",
    "| Next's own floor",
    "| ratio collect",
    "| server RSS (VmRSS of next-server) after the collect",
  ],
};
const TWILIO_ROWS: Slice = { name: "Twilio inbound", prefixes: ["| Twilio inbound"] };

/**
 * The table's rows: this run's, or, for a run of some workloads (`slice`), the rows of the last full run with
 * that slice's rows replaced where the first of them stood (or added at the end); every other row is kept.
 */
function tableRows(previous: string, rows: string[], slice?: Slice): string[] {
  if (!slice) return rows;
  const lines = previous.split("\n");
  const start = lines.findIndex((line) => line.startsWith("| measurement"));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith("|"));
  const table = start < 0 ? [] : lines.slice(start + 2, end < 0 ? undefined : end);
  const mine = (line: string) => slice.prefixes.some((p) => line.startsWith(p));
  const at = table.findIndex(mine);
  const kept = table.filter((line) => !mine(line));
  kept.splice(at >= 0 ? at : kept.length, 0, ...rows);
  return kept;
}

function writeReport(rows: string[], only?: Slice) {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const machine = `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, PostgreSQL on 127.0.0.1 (the same machine; load generator shares the cores)`;
  const previous = fs.existsSync("docs/BENCHMARKS.md") ? fs.readFileSync("docs/BENCHMARKS.md", "utf8") : "";
  const at = previous.indexOf(NOTES_MARKER);
  const notes = at >= 0 ? previous.slice(at) : `${NOTES_MARKER}\n`;
  const when = new Date().toISOString().slice(0, 10);
  const produced = only
    ? `${/^Produced by `npm run bench` \(bench\/run\.ts\)( on [\d-]+)?\./m.exec(previous)?.[0] ?? "Produced by `npm run bench` (bench/run.ts)."} The ${only.name} rows by a run of that workload alone on ${when}.`
    : `Produced by \`npm run bench\` (bench/run.ts) on ${when}.`;
  const body = `# Benchmarks

${produced}
Machine: ${machine}.
Everything goes through HTTP to the production build (\`next start\`) against the local Postgres.

| measurement | result |
|---|---|
${tableRows(previous, rows, only).join("\n")}

${notes}`;
  fs.writeFileSync("docs/BENCHMARKS.md", body);
  console.log("\nWrote docs/BENCHMARKS.md");
}

await main();
