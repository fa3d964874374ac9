// The reports workload (issue 11, docs/decisions/011): 100,000 people and 1,000,000 events, all within the last
// 30 days so the pages' default range covers every one of them, then the server response of the owner's report
// pages and the report endpoints, one request after another. Its table lives in its own section of
// docs/BENCHMARKS.md (between the markers below), so `BENCH_ONLY=reports` leaves the other figures alone.
import fs from "node:fs";
import os from "node:os";
import type { Db } from "../lib/db/client.ts";
import { createWorkspace } from "../lib/workspaces/create-workspace.ts";
import { percentile } from "./server.ts";
import { get, ingestAll, interleave, personEvents } from "./workload.ts";

const PEOPLE = 100_000;
const REQUESTS = 200;
const BEGIN = "<!-- reports: written by npm run bench (bench/reports.ts) -->";
const END = "<!-- /reports -->";
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** A next-auth session for the owner, through the same credentials form the login page posts. */
async function logIn(base: string, email: string, password: string) {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: base },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${base}/app` }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0] as string);
  if (!session.some((c) => c.includes("session-token")))
    throw new Error(`login answered ${res.status} without a session`);
  return [...jar, ...session].join("; ");
}

/** p50/p95 of `REQUESTS` GETs one after another (after 10 not counted), each from sending to the last byte. */
async function timed(url: string, headers: Record<string, string>) {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS + 10; i++) {
    const start = performance.now();
    const res = await get(url, headers);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
    if (i >= 10) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: times.at(-1) ?? 0 };
}

export async function reportsWorkload(db: Db, base: string) {
  const password = "bench-reports-password";
  const w = await createWorkspace(db, {
    name: "Reports bench",
    ownerEmail: "reports@bench.test",
    password,
    timezone: "America/Los_Angeles",
  });
  // Person i starts i × 25 s after 29.5 days ago: the last of them finish a quarter of an hour later, today.
  const t0 = Date.now() - 29.5 * 86_400_000;
  const spacingMs = Math.floor((29 * 86_400_000) / PEOPLE);
  const loadStart = performance.now();
  const chunk = 5000;
  for (let from = 0; from < PEOPLE; from += chunk) {
    const people = Array.from({ length: Math.min(chunk, PEOPLE - from) }, (_, k) =>
      personEvents("rp", from + k, 10, { t0, spacingMs }),
    );
    await ingestAll(base, w.apiKey, interleave(people), 500, 4);
    process.stdout.write(`\rreports: loaded ${from + people.length} people`);
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  process.stdout.write("\n");
  const events = await db.event.count({ where: { workspaceId: w.workspaceId } });
  const people = await db.profile.count({ where: { workspaceId: w.workspaceId, mergedIntoId: null } });
  const cookie = await logIn(base, "reports@bench.test", password);
  const key = { authorization: `Bearer ${w.apiKey}` };
  const app = `${base}/app/${w.slug}`;
  const targets: [string, string, Record<string, string>][] = [
    ["page `/app/{ws}` (overview)", app, { cookie }],
    ["page `/app/{ws}/ladder`", `${app}/ladder`, { cookie }],
    ["page `/app/{ws}/reports/ga-comparison`", `${app}/reports/ga-comparison`, { cookie }],
    ["`GET /api/v1/reports/ladder`", `${base}/api/v1/reports/ladder`, key],
    ["`GET /api/v1/reports/ga-comparison`", `${base}/api/v1/reports/ga-comparison`, key],
  ];
  // The other owner pages at the same size (issue 11 item 10): the customers list and its JSON (first page,
  // and a search by email), a person's journey page with its first timeline page and replay frames, and the
  // conversations list with one thread. Their person is one from the middle of the load.
  const [mid] = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "Profile" WHERE "workspaceId" = $1::uuid AND "mergedIntoId" IS NULL ORDER BY "firstSeenAt" OFFSET $2 LIMIT 1`,
    w.workspaceId,
    Math.floor(people / 2),
  );
  const owner = `${base}/api/app/${w.slug}`;
  const origin = { cookie, origin: base };
  if (mid) {
    targets.push(
      ["page `/app/{ws}/people`", `${app}/people`, { cookie }],
      ["`GET /api/app/{ws}/people` (the list's JSON)", `${owner}/people`, origin],
      [
        "`GET /api/app/{ws}/people?q=<email>` (search)",
        `${owner}/people?q=p${Math.floor(PEOPLE / 2)}.rp%40bench.test`,
        origin,
      ],
      ["page `/app/{ws}/people/{id}` (the journey)", `${app}/people/${mid.id}`, { cookie }],
      ["`GET /api/app/{ws}/people/{id}/timeline` (first page)", `${owner}/people/${mid.id}/timeline`, origin],
      ["`GET /api/app/{ws}/people/{id}/replay`", `${owner}/people/${mid.id}/replay`, origin],
      ["page `/app/{ws}/conversations`", `${app}/conversations`, { cookie }],
      ["`GET /api/app/{ws}/conversations`", `${owner}/conversations`, origin],
      ["page `/app/{ws}/conversations/{id}`", `${app}/conversations/${mid.id}`, { cookie }],
    );
  }
  const rows: string[] = [];
  const loadBefore = os.loadavg()[0] ?? 0;
  for (const [label, url, headers] of targets) {
    const t = await timed(url, headers);
    console.log(`reports: ${label} p50 ${ms(t.p50)} p95 ${ms(t.p95)} max ${ms(t.max)}`);
    rows.push(`| ${label}, last 30 days: p50 / p95 (max) | ${ms(t.p50)} / ${ms(t.p95)} (${ms(t.max)}) |`);
  }
  writeSection(
    [
      `Measured ${new Date().toISOString().slice(0, 10)} (1-minute load average ${loadBefore.toFixed(1)} before the requests, ${(os.loadavg()[0] ?? 0).toFixed(1)} after, on 2 cores shared with other sessions): ${events.toLocaleString("en-US")} events of ${people.toLocaleString("en-US")} people, all in the last 30 days (the pages' default range covers every one), loaded through \`POST /api/v1/events\` with the report triggers on at ${Math.round(events / loadSeconds).toLocaleString("en-US")} events/s (batches of 500, 4 clients). Then ${REQUESTS} requests one after another per target (after 10 not counted), each timed to the last byte; pages with the owner's session. Target: p95 < 300 ms.`,
      "",
      "| server response | result |",
      "|---|---|",
      ...rows,
    ].join("\n"),
  );
}

function writeSection(body: string) {
  const file = "docs/BENCHMARKS.md";
  const doc = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const section = `${BEGIN}\n## Reports at 1,000,000 events (issue 11)\n\n${body}\n${END}`;
  const at = doc.indexOf(BEGIN);
  const next =
    at >= 0
      ? doc.slice(0, at) + section + doc.slice(doc.indexOf(END, at) + END.length)
      : `${doc.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
  console.log("Wrote the reports section of docs/BENCHMARKS.md");
}
