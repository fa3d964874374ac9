// The privacy workload (issue 12 items 5 and 6, docs/decisions/016): 1,000,000 events of 100,000 people, all
// older than the workspace's 24 months of retention, then
//   (a) the workspace export of those events (NDJSON, then CSV) through GET /api/v1/export: time, rows/s and the
//       server's resident memory while it streams (target: growth < 100 MB);
//   (b) the nightly purge of them all (GET /api/cron/purge) while a client keeps ingesting into another
//       workspace: the purge's time, and ingest latency p50/p95 meanwhile against the same client without it.
// Its table lives in its own section of docs/BENCHMARKS.md (between the markers below), so `BENCH_ONLY=privacy`
// leaves the other figures alone.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import type { Db } from "../lib/db/client.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { benchEnv, percentile, rssOf } from "./server.ts";
import { get, ingestAll, ingestTimed, interleave, personEvents } from "./workload.ts";

const PEOPLE = Number(process.env.BENCH_PRIVACY_PEOPLE ?? 100_000);
const BEGIN = "<!-- privacy: written by npm run bench (bench/privacy.ts) -->";
const END = "<!-- /privacy -->";
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Streams one export to the end, counting rows and bytes, sampling the server's RSS every 100 ms. `slow`: the
 * client reads at most that many bytes a second and hangs up after 20 s (the server must not read ahead of it).
 */
function timedExport(base: string, key: string, query: string, pid: number, slow?: number) {
  return new Promise<{ seconds: number; rows: number; bytes: number; rssBefore: number; rssMax: number }>(
    (resolve, reject) => {
      const rssBefore = rssOf(pid);
      let rssMax = rssBefore;
      const sampler = setInterval(() => {
        rssMax = Math.max(rssMax, rssOf(pid));
      }, 100);
      const start = performance.now();
      let bytes = 0;
      let lines = 0;
      const req = http.get(`${base}/api/v1/export?${query}`, { headers: { authorization: `Bearer ${key}` } }, (res) => {
        if (res.statusCode !== 200) {
          clearInterval(sampler);
          reject(new Error(`export answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          if (!slow) return;
          res.pause();
          setTimeout(() => res.resume(), (chunk.length / slow) * 1000);
          if (performance.now() - start > 20_000) res.destroy();
        });
        let settled = false;
        const done = () => {
          if (settled) return;
          settled = true;
          clearInterval(sampler);
          rssMax = Math.max(rssMax, rssOf(pid));
          const header = query.includes("format=csv") ? 1 : 0;
          resolve({ seconds: (performance.now() - start) / 1000, rows: lines - header, bytes, rssBefore, rssMax });
        };
        res.on("end", done);
        res.on("close", done);
        res.on("error", reject);
      });
      req.on("error", (e) => {
        clearInterval(sampler);
        reject(e);
      });
    },
  );
}

let serial = 0;

/** One client sending batches of 50 new events (5 new people) one after another until `until` settles (or that many batches). */
async function ingestLoop(base: string, key: string, until: Promise<unknown> | number) {
  const times: number[] = [];
  let done = false;
  if (typeof until !== "number")
    until.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
  for (let i = 0; typeof until === "number" ? i < until : !done; i++) {
    const t0 = Date.now() - 3600_000;
    const people = Array.from({ length: 5 }, () => personEvents("lv", serial++, 10, { t0, spacingMs: 0 }));
    const run = await ingestTimed(base, key, interleave(people), 50, 1);
    times.push(...run.times);
  }
  return times.sort((a, b) => a - b);
}

export async function privacyWorkload(db: Db, app: { base: string; pid: number }) {
  const w = await createWorkspace(db, { name: "Privacy bench", ownerEmail: "privacy@bench.test" });
  const live = await createWorkspace(db, { name: "Privacy live", ownerEmail: "privacy-live@bench.test" });
  // 30 months ago and the weeks after it: every event is past the default 24 months.
  const t0 = Date.now() - 30 * 30.44 * 86_400_000;
  const spacingMs = Math.floor((60 * 86_400_000) / PEOPLE);
  const loadStart = performance.now();
  for (let from = 0; from < PEOPLE; from += 5000) {
    const people = Array.from({ length: Math.min(5000, PEOPLE - from) }, (_, k) =>
      personEvents("pv", from + k, 10, { t0, spacingMs }),
    );
    await ingestAll(app.base, w.apiKey, interleave(people), 500, 4);
    process.stdout.write(`\rprivacy: loaded ${from + people.length} people`);
  }
  process.stdout.write("\n");
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const events = await db.event.count({ where: { workspaceId: w.workspaceId } });
  const messages = await db.message.count({ where: { workspaceId: w.workspaceId } });
  const rows: string[] = [];
  const loadBefore = os.loadavg()[0] ?? 0;

  // A slow client first (before fast reads leave garbage for the collector): the server reads a page only when
  // the client has taken the previous one.
  const s = await timedExport(app.base, w.apiKey, "what=events&format=ndjson", app.pid, 2 * 2 ** 20);
  console.log(
    `privacy: slow client: ${mib(s.bytes)} in ${s.seconds.toFixed(1)} s, RSS ${mib(s.rssBefore)} → max ${mib(s.rssMax)}`,
  );
  rows.push(
    `| the NDJSON events export read by a slow client first (2 MiB/s, hanging up after 20 s: ${mib(s.bytes)} of it): server RSS before → highest sample | ${mib(s.rssBefore)} → ${mib(s.rssMax)} (+${mib(Math.max(0, s.rssMax - s.rssBefore))}) |`,
  );

  // (a) the export, NDJSON then CSV.
  for (const format of ["ndjson", "csv"]) {
    const e = await timedExport(app.base, w.apiKey, `what=events&format=${format}`, app.pid);
    if (e.rows < events) throw new Error(`the ${format} export held ${e.rows} rows of ${events}`);
    const growth = e.rssMax - e.rssBefore;
    console.log(
      `privacy: export ${format}: ${fmt(e.rows)} rows in ${e.seconds.toFixed(1)} s (${fmt(e.rows / e.seconds)} rows/s, ${mib(e.bytes)}), RSS ${mib(e.rssBefore)} → max ${mib(e.rssMax)}`,
    );
    rows.push(
      `| export of ${fmt(e.rows)} events as ${format.toUpperCase()} (\`GET /api/v1/export?what=events&format=${format}\`, ${mib(e.bytes)}, read as fast as the client can): time, rows/s | ${e.seconds.toFixed(1)} s, ${fmt(e.rows / e.seconds)} rows/s |`,
      `| server RSS during that export (target growth < 100 MB): before → highest sample (every 100 ms) | ${mib(e.rssBefore)} → ${mib(e.rssMax)} (+${mib(Math.max(0, growth))}) |`,
    );
  }

  // (b) ingest latency without the purge, then during it.
  await ingestLoop(app.base, live.apiKey, 20);
  const quiet = await ingestLoop(app.base, live.apiKey, 200);
  const purgeStart = performance.now();
  const purge = get(`${app.base}/api/cron/purge`, { authorization: `Bearer ${benchEnv.CRON_SECRET}` });
  const during = await ingestLoop(app.base, live.apiKey, purge);
  const answer = await purge;
  const purgeSeconds = (performance.now() - purgeStart) / 1000;
  if (answer.status !== 200)
    throw new Error(`the purge answered ${answer.status}: ${answer.body.toString().slice(0, 300)}`);
  const result = (
    JSON.parse(answer.body.toString()) as {
      result: { events: number; people: number; messages: number; remaining: number };
    }
  ).result;
  const left = await db.event.count({ where: { workspaceId: w.workspaceId } });
  if (left !== 0 || result.remaining !== 0) throw new Error(`the purge left ${left} events`);
  const p = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 95))}`;
  console.log(
    `privacy: purge of ${fmt(result.events)} events, ${fmt(result.people)} people in ${purgeSeconds.toFixed(1)} s; ingest p50/p95 quiet ${p(quiet)} (${quiet.length}), during ${p(during)} (${during.length})`,
  );
  rows.push(
    `| nightly purge (\`GET /api/cron/purge\`) of ${fmt(result.events)} expired events, ${fmt(result.messages)} messages and ${fmt(result.people)} people left with nothing, batches of 5,000, while one client ingests: time, events/s | ${purgeSeconds.toFixed(1)} s, ${fmt(result.events / purgeSeconds)} events/s |`,
    `| ingest latency of that client (batches of 50 new events of 5 people, one after another) during the purge: p50 / p95 (${during.length} requests) | ${p(during)} |`,
    `| the same client without the purge, just before it: p50 / p95 (${quiet.length} requests) | ${p(quiet)} |`,
  );
  writeSection(
    [
      `Measured ${new Date().toISOString().slice(0, 10)} (1-minute load average ${loadBefore.toFixed(1)} before, ${(os.loadavg()[0] ?? 0).toFixed(1)} after, on 2 cores shared with the load generator): ${fmt(events)} events and ${fmt(messages)} sealed messages of ${fmt(PEOPLE)} people, all 28–30 months old (the workspace keeps 24), loaded through \`POST /api/v1/events\` at ${fmt(events / loadSeconds)} events/s. The export is read by one client over HTTP to its last byte; the purge runs in the server through the cron route while a second workspace takes new events.`,
      "",
      "| measurement | result |",
      "|---|---|",
      ...rows,
    ].join("\n"),
  );
}

function writeSection(body: string) {
  const file = "docs/BENCHMARKS.md";
  const doc = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const section = `${BEGIN}\n## Export and retention purge at 1,000,000 events (issue 12)\n\n${body}\n${END}`;
  const at = doc.indexOf(BEGIN);
  const next =
    at >= 0
      ? doc.slice(0, at) + section + doc.slice(doc.indexOf(END, at) + END.length)
      : `${doc.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
  console.log("Wrote the privacy section of docs/BENCHMARKS.md");
}
