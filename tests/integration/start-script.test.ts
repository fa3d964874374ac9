// `npm start` itself (scripts/start.ts), as a newcomer or a deployment runs it: a bad configuration must stop
// it quickly with the message.
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { afterEach, expect, test } from "vitest";
import { useTestDb } from "../support/db.ts";

const { url } = await useTestDb();

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

const fatal: [string, Record<string, string>, RegExp][] = [
  ["DATABASE_URL set and no MASTER_KEY", { DATABASE_URL: url, AUTH_SECRET: GOOD_SECRET }, /MASTER_KEY/],
  ["DATABASE_URL set and no secrets at all", { DATABASE_URL: url }, /AUTH_SECRET[\s\S]*MASTER_KEY/],
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

test("the server itself (next start run directly, as a host may) exits 1 on a bad setting instead of serving errors", async () => {
  const s = start({ DATABASE_URL: url, AUTH_SECRET: GOOD_SECRET }, ["node_modules/.bin/next", "start", "-p", "3436"]);
  const code = await exitWithin(s, 10_000);
  expect(code, `stdout:\n${s.stdout()}\nstderr:\n${s.stderr()}`).toBe(1);
  expect(s.stderr()).toMatch(/MASTER_KEY/);
}, 30_000);
