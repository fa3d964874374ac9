// `npm run bench`: the speed figures of docs/BENCHMARKS.md, measured through HTTP against the production
// build on the local Postgres, and written to docs/BENCHMARKS.md.
//   1. ingest throughput: 20,000 events over 2,000 people, batches of 100, 4 concurrent clients; and the raw
//      limit: the rows the app stored, written again by multi-row INSERTs into an indexed copy of "Event".
//   2. lookup by phone and a 100-event timeline page: p50/p95 over 1,000 requests at 10,000 and 1,000,000
//      events (100,000 people at the large size).
//   3. a merge that moves a person with 1,000 events.
// BENCH_LARGE=0 skips the 1,000,000-event size (a quick run).
import fs from "node:fs";
import os from "node:os";
import pg from "pg";
import { createDb } from "../lib/db/client.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { benchDatabase, benchEnv, percentile, startApp } from "./server.ts";
import { get, ingestAll, interleave, personEvents, phoneOf } from "./workload.ts";

Object.assign(process.env, benchEnv);
const PORT = 3210;
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

async function main() {
  const db0 = await benchDatabase("onethread_bench");
  const app = await startApp(db0.url, PORT);
  const db = createDb(db0.url, { poolMax: 2 });
  const report: string[] = [];
  try {
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
    report.push(`| ratio app / raw (target ≥ 15%) | ${ratio} |`);

    if (process.env.BENCH_ONLY === "ingest") return writeReport(report);

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
    writeReport(report);
  } finally {
    await app.stop();
    await db.$disconnect();
    await db0.drop();
  }
}

/** Everything below this line in docs/BENCHMARKS.md is written by hand and kept across runs. */
const NOTES_MARKER = "<!-- notes: kept by npm run bench -->";

function writeReport(rows: string[]) {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const machine = `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, PostgreSQL on 127.0.0.1 (the same machine; load generator shares the cores)`;
  const previous = fs.existsSync("docs/BENCHMARKS.md") ? fs.readFileSync("docs/BENCHMARKS.md", "utf8") : "";
  const at = previous.indexOf(NOTES_MARKER);
  const notes = at >= 0 ? previous.slice(at) : `${NOTES_MARKER}\n`;
  const body = `# Benchmarks

Produced by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine}.
Everything goes through HTTP to the production build (\`next start\`) against the local Postgres.

| measurement | result |
|---|---|
${rows.join("\n")}

${notes}`;
  fs.writeFileSync("docs/BENCHMARKS.md", body);
  console.log("\nWrote docs/BENCHMARKS.md");
}

await main();
