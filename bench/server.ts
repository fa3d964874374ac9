import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { migrate } from "../lib/db/migrate.ts";
import { SERVER_ENTRY, SERVER_MALLOC_ENV } from "../scripts/server-entry.ts";
import { urlFor, withAdmin } from "../tests/support/postgres.ts";

/** A fresh database on the local Postgres, migrated; dropped by `drop()`. */
export async function benchDatabase(name: string) {
  await withAdmin(async (a) => {
    await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await a.query(`CREATE DATABASE "${name}"`);
  });
  const url = urlFor(name);
  await migrate(url);
  return {
    url,
    drop: () => withAdmin((a) => a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

export const benchEnv = {
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  MASTER_KEY: "bench-master-key-0123456789abcdef0123456789",
  CRON_SECRET: "bench-cron-secret-0123456789",
  // The jobs run when a workload calls their cron route, never on the clock in the middle of a measurement.
  JOBS_SCHEDULER: "off",
};

/** The production build of the app (`next start`), on its own port, against `databaseUrl`. */
export async function startApp(databaseUrl: string, port: number) {
  if (!fs.existsSync(".next/BUILD_ID") || !fs.existsSync(SERVER_ENTRY)) {
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const taken = await fetch(`http://127.0.0.1:${port}/api/health`).then(
    () => true,
    () => false,
  );
  if (taken)
    throw new Error(`Port ${port} is already in use: stop whatever serves it, or the figures would be that server's.`);
  // BENCH_PROFILE=<dir>: the server writes a V8 CPU profile there when it stops (open it in Chrome DevTools).
  // BENCH_NODE_ARGS: more flags for the server's node, e.g. "--perf-basic-prof" for `perf record`.
  const profile = [
    ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
  ];
  // The server `npm start` runs (scripts/serve.ts as the build bundled it: Next, and the collect endpoint
  // beside its pipeline).
  const serve = [SERVER_ENTRY];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...serve], {
    env: {
      ...SERVER_MALLOC_ENV,
      ...process.env,
      ...benchEnv,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      APP_URL: `http://localhost:${port}`,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return { base, pid: child.pid as number, stop: () => stopChild(child) };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error("The app did not become healthy in 60 s");
}

/** SIGTERM, then wait (up to 10 s) until the server has exited and written what it writes on exit. */
function stopChild(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * The HTTP floor: a bare node:http server in its own process, as the app's server is, that reads the whole body,
 * parses it as JSON and answers 202 with a small JSON body (what /api/collect answers), nothing else.
 */
const FLOOR_SERVER = `
const http = require("node:http");
http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let ok = true;
    try { JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch { ok = false; }
    res.writeHead(ok ? 202 : 400, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(ok ? '{"accepted":1,"duplicates":0}' : "{}");
  });
}).listen(Number(process.argv[1]), "127.0.0.1");`;

export async function startFloor(port: number) {
  const child = spawn(process.execPath, ["-e", FLOOR_SERVER, String(port)], { stdio: ["ignore", "ignore", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(base, { method: "POST", body: "{}" }).then(
      (r) => r.status === 202,
      () => false,
    );
    if (up) return { base, stop: () => stopChild(child) };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  throw new Error("The HTTP floor server did not start in 10 s");
}

/**
 * The resident memory (VmRSS, bytes) of the app's server: the process `next start` runs as (it serves in
 * its own process, titled next-server), or, should it ever fork one, that child.
 */
export function rssOf(pid: number): number {
  return readStatus(serverPid(pid), /VmRSS:\s+(\d+) kB/) * 1024;
}

/** CPU time (user + system, ms) the app's server process has used so far (/proc/<pid>/stat, 100 ticks/s). */
export function cpuMsOf(pid: number): number {
  try {
    const fields =
      fs
        .readFileSync(`/proc/${serverPid(pid)}/stat`, "utf8")
        .split(") ")[1]
        ?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time (ms) used so far by the Postgres backends serving `database` (their titles name it). */
export function postgresCpuMsOf(database: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!title.startsWith("postgres:") || !title.includes(` ${database} `)) continue;
      const fields = fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      out.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {}
  }
  return out;
}

/** The CPU (ms) the backends of `before` and any new ones used since `before` was read. */
export function postgresCpuMsSince(database: string, before: Map<number, number>): number {
  let ms = 0;
  for (const [pid, now] of postgresCpuMsOf(database)) ms += now - (before.get(pid) ?? 0);
  return ms;
}

function readStatus(pid: number, re: RegExp): number {
  try {
    return Number(re.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function serverPid(pid: number): number {
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number);
  } catch {}
  const server = children.find((c) => {
    try {
      return fs.readFileSync(`/proc/${c}/cmdline`, "utf8").includes("next-server");
    } catch {
      return false;
    }
  });
  return server ?? pid;
}

export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
