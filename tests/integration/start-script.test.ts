// `npm start` itself (scripts/start.ts), as a newcomer or a deployment runs it: a bad configuration must stop
// it quickly with the message, and the server must listen only where HOSTNAME says (loopback by default for
// the embedded install, whose demo owner's password is printed on the console).
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, expect, test } from "vitest";
import { parseCron, previousCronTime } from "../../lib/jobs/cron-schedule.ts";
import { JOBS } from "../../lib/jobs/registry.ts";
import { useTestDb } from "../support/db.ts";

const { db, url } = await useTestDb();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "onethread-start-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const GOOD_SECRET = "start-test-secret-0123456789abcdef0123456789";

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Started[] = [];

/** `npm start` (its script, without npm's own process in between) with exactly this environment on top of a clean one. */
function start(env: Record<string, string>, command = ["node_modules/.bin/tsx", "scripts/start.ts", "start"]): Started {
  const base = { ...process.env };
  for (const name of ["DATABASE_URL", "AUTH_SECRET", "MASTER_KEY", "CRON_SECRET", "NODE_ENV", "HOSTNAME", "DATA_DIR"]) {
    delete base[name];
  }
  // Its own process group, so that the next server it starts is stopped with it whatever happens.
  const child = spawn(command[0] as string, command.slice(1), {
    env: { ...base, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    err += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const started = { child, stdout: () => out, stderr: () => err, exited };
  running.push(started);
  return started;
}

async function stopAll() {
  for (const s of running.splice(0)) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
    s.child.kill("SIGTERM");
    const done = await Promise.race([
      s.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 15_000)),
    ]);
    if (!done && s.child.pid) process.kill(-s.child.pid, "SIGKILL");
  }
}
afterEach(stopAll);

/** The exit code, or "still running" when it has not exited within `ms`. */
function exitWithin(s: Started, ms: number) {
  return Promise.race([s.exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), ms))]);
}

function canConnect(host: string, port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Polls the health endpoint on loopback until the app answers (the first start may build it). */
async function waitHealthy(s: Started, port: number, ms = 240_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (s.child.exitCode !== null) throw new Error(`npm start exited early:\n${s.stdout()}\n${s.stderr()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`npm start never became healthy on 127.0.0.1:${port}:\n${s.stdout()}\n${s.stderr()}`);
}

/**
 * This machine's own non-loopback IPv4 addresses: the only other addresses the tests connect to (a machine
 * without any, such as a container without a network, checks loopback only).
 */
const externalAddresses = Object.values(os.networkInterfaces())
  .flat()
  .filter((a) => a && a.family === "IPv4" && !a.internal)
  .map((a) => a!.address);

const fatal: [string, Record<string, string>, RegExp][] = [
  ["DATABASE_URL set and no MASTER_KEY", { DATABASE_URL: url, AUTH_SECRET: GOOD_SECRET }, /MASTER_KEY is not set/],
  [
    "DATABASE_URL set and no secrets at all",
    { DATABASE_URL: url },
    /AUTH_SECRET is not set[\s\S]*MASTER_KEY is not set/,
  ],
  [
    "a MASTER_KEY that is too short",
    { DATABASE_URL: url, AUTH_SECRET: GOOD_SECRET, MASTER_KEY: "short" },
    /MASTER_KEY must be at least 32 characters/,
  ],
  [
    "a malformed DATABASE_URL",
    { DATABASE_URL: "not a url", AUTH_SECRET: GOOD_SECRET, MASTER_KEY: GOOD_SECRET },
    /DATABASE_URL/,
  ],
];

test.each(fatal)(
  "npm start with %s exits non-zero within 10 s with the message",
  async (_name, env, message) => {
    const s = start({ ...env, PORT: "3432" });
    const code = await exitWithin(s, 10_000);
    expect(code, `stdout:\n${s.stdout()}\nstderr:\n${s.stderr()}`).not.toBe("still running");
    expect(code).not.toBe(0);
    expect(s.stderr()).toMatch(message);
    // Nothing was left listening.
    expect(await canConnect("127.0.0.1", 3432)).toBe(false);
  },
  30_000,
);

test("npm start on the embedded database listens on loopback only, hides the dev outbox and prints the demo login", async () => {
  const port = 3433;
  const s = start({ PORT: String(port), DATA_DIR: dataDir });
  await waitHealthy(s, port);
  expect.soft(s.stdout()).toMatch(/Demo login: \S+ \/ \S+/);
  // The server process runs with the allocator settings that keep its resident memory down (decision 024).
  if (process.platform === "linux") {
    const server = fs.readdirSync("/proc").find((p) => {
      try {
        return (
          fs.readFileSync(`/proc/${p}/cmdline`, "utf8").includes("onethread-serve.mjs") &&
          fs.readFileSync(`/proc/${p}/environ`, "utf8").split("\0").includes(`PORT=${port}`)
        );
      } catch {
        return false;
      }
    });
    const environ = fs.readFileSync(`/proc/${server}/environ`, "utf8").split("\0");
    expect.soft(environ).toContain("MALLOC_MMAP_THRESHOLD_=65536");
    expect.soft(environ).toContain("MALLOC_ARENA_MAX=2");
    // It takes the build's config instead of compiling next.config.ts again: SWC's native module, 25 MiB of
    // resident memory once loaded, is never mapped (decision 025).
    expect.soft(fs.readFileSync(`/proc/${server}/maps`, "utf8")).not.toContain("next-swc");
  }
  for (const address of externalAddresses) expect.soft(await canConnect(address, port), address).toBe(false);
  // /dev/outbox would show anyone the login links of every owner: not part of `npm start`.
  expect.soft((await fetch(`http://127.0.0.1:${port}/dev/outbox`)).status).toBe(404);
  // No mail provider: the login page says so instead of offering links that could never arrive.
  expect
    .soft(await (await fetch(`http://127.0.0.1:${port}/login`)).text())
    .toContain("email isn&#x27;t set up on this server");
  // The tracker's path on the one PGlite connection: a collect is answered at once and its visitor is found
  // by device id moments later (the ingest log drained by the same server; decision 013).
  // Asynchronously: a spawnSync would stop this process's event loop for as long as the CLI runs (10 s and more
  // on a loaded machine), past the server's 5 s keep-alive, and fetch would then reuse a socket the server had
  // already closed ("other side closed").
  const cli = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      "node_modules/.bin/tsx",
      ["scripts/cli.ts", "workspace", "create", "--name", "Embedded Collect", "--owner", "ec@embedded.test", "--json"],
      { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
  expect(cli.status, cli.stderr).toBe(0);
  const ws = JSON.parse(cli.stdout.trim().split("\n").at(-1) as string) as { siteKey: string; apiKey: string };
  const sent = await fetch(`http://127.0.0.1:${port}/api/collect`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": "Mozilla/5.0 Chrome/140.0" },
    body: JSON.stringify({
      site: ws.siteKey,
      deviceId: "d_embedded",
      events: [{ id: "emb1", type: "page_view", ts: Date.now(), url: "https://acme.test/" }],
    }),
  });
  expect(sent.status).toBe(202);
  let found = 0;
  for (let i = 0; i < 40 && found !== 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    found = (
      await fetch(`http://127.0.0.1:${port}/api/v1/profiles?deviceId=d_embedded`, {
        headers: { authorization: `Bearer ${ws.apiKey}` },
      })
    ).status;
  }
  expect(found, "visible by device id within 4 s").toBe(200);
}, 300_000);

test("with DATABASE_URL the server listens where HOSTNAME says: 127.0.0.1 stays on loopback, the default is every interface", async () => {
  const secrets = { DATABASE_URL: url, AUTH_SECRET: GOOD_SECRET, MASTER_KEY: GOOD_SECRET };
  const loopback = start({ ...secrets, PORT: "3434", HOSTNAME: "127.0.0.1" });
  await waitHealthy(loopback, 3434);
  for (const address of externalAddresses) expect(await canConnect(address, 3434), address).toBe(false);

  const deployed = start({ ...secrets, PORT: "3435" });
  await waitHealthy(deployed, 3435);
  for (const address of externalAddresses) expect(await canConnect(address, 3435), address).toBe(true);

  // Both run vercel.json's jobs themselves (lib/jobs/scheduler.ts): what was due this period has run, once.
  const now = new Date();
  const due = JOBS.filter((job) => {
    const last = previousCronTime(parseCron(job.schedule), now);
    return last !== null && job.period(last) === job.period(now);
  });
  for (const job of due) {
    const where = { job: job.id, scope: "global", period: job.period(now), status: "done" };
    await expect.poll(() => db.jobRun.count({ where }), { timeout: 30_000 }).toBe(1);
  }
}, 300_000);

test("npm run dev listens on loopback too, also with DATABASE_URL (its dev outbox shows login links)", async () => {
  const port = 3437;
  const s = start({ DATABASE_URL: url, DATA_DIR: dataDir, PORT: String(port) }, [
    "node_modules/.bin/tsx",
    "scripts/start.ts",
    "dev",
  ]);
  const until = Date.now() + 60_000;
  while (!(await canConnect("127.0.0.1", port))) {
    if (s.child.exitCode !== null || Date.now() > until) throw new Error(`npm run dev did not listen:\n${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const address of externalAddresses) expect(await canConnect(address, port), address).toBe(false);
}, 90_000);

test("the server itself (next start run directly, as a host may) exits 1 on a bad setting instead of serving errors", async () => {
  // The tests above started the app through `npm start`, which builds it when needed.
  expect(fs.existsSync(".next/BUILD_ID"), "needs the build the tests above make").toBe(true);
  const s = start({ DATABASE_URL: url, AUTH_SECRET: GOOD_SECRET }, ["node_modules/.bin/next", "start", "-p", "3436"]);
  const code = await exitWithin(s, 10_000);
  expect(code, `stdout:\n${s.stdout()}\nstderr:\n${s.stderr()}`).toBe(1);
  expect(s.stderr()).toMatch(/MASTER_KEY/);
}, 30_000);
