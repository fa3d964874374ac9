// Where an ingest request's time goes, without HTTP and without Next: `npx tsx bench/phases.ts collect|batches`.
//   collect: what /api/collect does for one page_view of a new device (JSON parse, site key, zod, collectEvents),
//            from `BENCH_CLIENTS` (10) concurrent callers in this process;
//   batches: what /api/v1/events does for interleaved batches of 100 events of 100 people, 4 concurrent callers.
// Every statement sent to Postgres (Prisma's included: they share the pg pool) is counted and timed from the
// client's side, by kind; once at steady state the ingest transaction's statements are run again under
// EXPLAIN (ANALYZE, BUFFERS) inside a savepoint that is rolled back, and their plans printed.
import fs from "node:fs";
import pg from "pg";
import { createDb } from "../lib/db/client.ts";
import { collectEvents } from "../lib/ingest/collect-events.ts";
import { ingestCoalesced } from "../lib/ingest/ingest-coalesced.ts";
import { loadWorkspaceForIngest } from "../lib/ingest/load-workspace.ts";
import { collectBodySchema, eventsBodySchema, type IngestEvent } from "../lib/ingest/schemas.ts";
import { findSiteKey } from "../lib/workspaces/api-keys.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { benchDatabase, benchEnv, percentile } from "./server.ts";
import { CHROME_UA, collectBody, drive, interleavedEvents } from "./workload.ts";

Object.assign(process.env, benchEnv);
const mode = process.argv[2] ?? "collect";

const KINDS: [string, RegExp][] = [
  ["BEGIN", /^BEGIN/],
  ["COMMIT", /^COMMIT/],
  ["ROLLBACK", /^ROLLBACK/],
  ["ingest: locks + profiles FOR UPDATE", /^WITH locks AS MATERIALIZED/],
  ["ingest: batch read", /^SELECT\s+\(SELECT coalesce\(json_agg\(json_build_object\('id', i\.id/],
  ["ingest: successors FOR UPDATE", /^SELECT id, "createdAt", rung/],
  ["ingest: write (one CTE statement)", /^WITH\s+np AS/],
  ["ingest: customer numbers", /^WITH cn AS/],
  ["ingest: refresh profiles", /^UPDATE "Profile" p SET\s+"eventCount"/],
  ["prisma: site key", /FROM "public"\."SiteKey"/],
  ["prisma: workspace", /FROM "public"\."Workspace"/],
];
const kindOf = (text: string) => KINDS.find(([, re]) => re.test(text.trim()))?.[0] ?? text.trim().slice(0, 60);

const stats = new Map<string, { n: number; ms: number; times: number[] }>();
const record = (text: string, ms: number) => {
  const k = kindOf(text);
  const s = stats.get(k) ?? { n: 0, ms: 0, times: [] };
  s.n++;
  s.ms += ms;
  s.times.push(ms);
  stats.set(k, s);
};

// Sample plans: the first ingest statements issued once `explainFrom` requests have completed.
let completed = 0;
let explainFrom = Number.POSITIVE_INFINITY;
const explained = new Map<string, string>();
const EXPLAIN = new Set([
  "ingest: locks + profiles FOR UPDATE",
  "ingest: batch read",
  "ingest: write (one CTE statement)",
]);

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const config = args[0];
  const text = typeof config === "string" ? config : ((config as { text?: string })?.text ?? "");
  const kind = kindOf(text);
  if (completed >= explainFrom && EXPLAIN.has(kind) && !explained.has(kind) && Array.isArray(args[1])) {
    explained.set(kind, "(pending)");
    const values = args[1] as unknown[];
    const run = async () => {
      await original.call(this, "SAVEPOINT explain_sample");
      const plan = (await original.call(this, `EXPLAIN (ANALYZE, BUFFERS, SETTINGS) ${text}`, values)) as {
        rows: { "QUERY PLAN": string }[];
      };
      await original.call(this, "ROLLBACK TO SAVEPOINT explain_sample");
      explained.set(kind, plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
      return original.apply(this, args);
    };
    return run();
  }
  const t = performance.now();
  const last = args.length - 1;
  if (typeof args[last] === "function") {
    const cb = args[last] as (...a: unknown[]) => void;
    args[last] = (...a: unknown[]) => {
      record(text, performance.now() - t);
      cb(...a);
    };
    return original.apply(this, args);
  }
  const r = original.apply(this, args) as Promise<unknown> | undefined;
  r?.then?.(
    () => record(text, performance.now() - t),
    () => record(text, performance.now() - t),
  );
  return r;
};

/** CPU milliseconds used so far by every postgres process (backends, WAL writer, checkpointer, autovacuum). */
function postgresCpuMs() {
  let ms = 0;
  for (const p of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (fs.readFileSync(`/proc/${p}/comm`, "utf8").trim() !== "postgres") continue;
      const f = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const r = f.slice(f.lastIndexOf(")") + 2).split(" ");
      ms += ((Number(r[11]) + Number(r[12])) * 1000) / 100;
    } catch {}
  }
  return ms;
}

const db0 = await benchDatabase("onethread_phases");
const db = createDb(db0.url, { poolMax: 10 });
// An experiment's DDL (BENCH_SQL="DROP INDEX …"), run once on the fresh database before the workload.
if (process.env.BENCH_SQL) {
  const c = new pg.Client({ connectionString: db0.url });
  await c.connect();
  await c.query(process.env.BENCH_SQL);
  await c.end();
}
try {
  const ws = await createWorkspace(db, { name: "Phases", ownerEmail: "phases@bench.test" });
  const headers = new Headers({ "user-agent": CHROME_UA, origin: "https://acme.test", host: "127.0.0.1:3210" });
  const phase = new Map<string, number>();
  const add = (k: string, ms: number) => phase.set(k, (phase.get(k) ?? 0) + ms);

  const collectOne = async (buf: Buffer) => {
    let t = performance.now();
    const json = JSON.parse(buf.toString("utf8"));
    add("JSON.parse", performance.now() - t);
    t = performance.now();
    const key = await findSiteKey(db, json.site);
    if (!key) throw new Error("no site key");
    add("site key lookup", performance.now() - t);
    t = performance.now();
    const body = collectBodySchema.parse(json);
    add("zod (collect body)", performance.now() - t);
    t = performance.now();
    await collectEvents(db, key.workspaceId, body, headers);
    add("collectEvents", performance.now() - t);
    completed++;
  };
  const batchOne = async (buf: Buffer) => {
    let t = performance.now();
    const body = eventsBodySchema.parse(JSON.parse(buf.toString("utf8")));
    add("JSON.parse + zod", performance.now() - t);
    t = performance.now();
    const w = await loadWorkspaceForIngest(db, ws.workspaceId);
    await ingestCoalesced(db, w, body.events as IngestEvent[]);
    add("ingestCoalesced", performance.now() - t);
    completed++;
  };

  const clients = Number(process.env.BENCH_CLIENTS ?? (mode === "collect" ? 10 : 4));
  const bodies =
    mode === "collect"
      ? (p: string, n: number) => Array.from({ length: n }, (_, i) => collectBody(ws.siteKey, p, i))
      : (p: string, n: number) => {
          const events = interleavedEvents(p, n * 100);
          return Array.from({ length: n }, (_, i) =>
            Buffer.from(JSON.stringify({ events: events.slice(i * 100, i * 100 + 100) })),
          );
        };
  const one = mode === "collect" ? collectOne : batchOne;
  const n = Number(process.env.BENCH_N ?? (mode === "collect" ? 3000 : 200));
  await drive(bodies("warm", n), clients, one); // warm-up
  stats.clear();
  phase.clear();
  completed = 0;
  explainFrom = process.env.BENCH_EXPLAIN === "0" ? Number.POSITIVE_INFINITY : Math.floor(n / 2);
  const input = bodies("run", n);
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuMs();
  const run = await drive(input, clients, one);
  const cpu = process.cpuUsage(cpu0);
  const pgMs = postgresCpuMs() - pg0;
  const events = mode === "collect" ? n : n * 100;
  console.log(
    `${mode}: ${n} requests, ${clients} clients: ${Math.round(n / run.seconds)} requests/s, ${Math.round(events / run.seconds)} events/s; request p50 ${percentile(run.times, 50).toFixed(1)} ms, p99 ${percentile(run.times, 99).toFixed(1)} ms`,
  );
  console.log(
    `CPU per event: this process ${((cpu.user + cpu.system) / 1000 / events).toFixed(3)} ms, postgres ${(pgMs / events).toFixed(3)} ms`,
  );
  console.log("\nper request (sum over the run / requests), caller's view (includes waiting in the group queue):");
  for (const [k, ms] of phase) console.log(`  ${k.padEnd(28)} ${(ms / n).toFixed(3)} ms`);
  console.log("\nstatements (client-side time from send to result; sum / requests; p50 per statement):");
  const total = [...stats.values()].reduce((a, s) => a + s.n, 0);
  for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms)) {
    s.times.sort((a, b) => a - b);
    console.log(
      `  ${k.padEnd(40)} ${String(s.n).padStart(6)} × p50 ${percentile(s.times, 50).toFixed(2)} ms, p99 ${percentile(s.times, 99).toFixed(2)} ms = ${(s.ms / n).toFixed(3)} ms/request`,
    );
  }
  const tx = stats.get("BEGIN")?.n ?? 0;
  console.log(
    `  ${total} statements = ${(total / n).toFixed(2)} per request; ${tx} transactions = ${(events / Math.max(1, tx)).toFixed(1)} events per transaction`,
  );
  for (const [k, plan] of explained) console.log(`\n--- EXPLAIN (ANALYZE, BUFFERS) ${k}\n${plan}`);
} finally {
  await db.$disconnect();
  await db0.drop();
}
