import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { embeddedUrlFor } from "./embedded-url.ts";

/**
 * The embedded database: PGlite (Postgres compiled to WebAssembly) keeping its files under DATA_DIR and
 * served on a loopback port, so the app, the CLI and a second process all speak plain Postgres to it.
 * Only one process may open the files; the others find its port in `embedded.json` and connect to it.
 * See docs/decisions/001-embedded-database.md.
 */
export interface EmbeddedHandle {
  url: string;
  /** True when this process started the server (and must stop it); false when it reuses another's. */
  owned: boolean;
  stop(): Promise<void>;
}

interface ServerInfo {
  pid: number;
  port: number;
}

export function dataDirFromEnv() {
  return path.resolve(process.env.DATA_DIR ?? ".data");
}

const urlFor = embeddedUrlFor;

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function canConnect(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function readInfo(file: string): ServerInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(file, "utf8")) as ServerInfo;
    return Number.isInteger(info.pid) && Number.isInteger(info.port) ? info : null;
  } catch {
    return null;
  }
}

/** The running embedded server of this data directory, if another process serves it. */
export async function findRunningEmbedded(dataDir = dataDirFromEnv()): Promise<string | null> {
  const info = readInfo(path.join(dataDir, "embedded.json"));
  if (!info || !isAlive(info.pid) || !(await canConnect(info.port))) return null;
  return urlFor(info.port);
}

/** Takes the data directory's lock file, clearing one left by a process that died. */
function takeLock(lockFile: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockFile, "utf8"));
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) return false;
      fs.rmSync(lockFile, { force: true });
    }
  }
  return false;
}

/**
 * Connects to this data directory's embedded server, starting one in this process when none runs.
 * `port` 0 picks a free port.
 */
export async function ensureEmbedded(dataDir = dataDirFromEnv(), port = 0): Promise<EmbeddedHandle> {
  fs.mkdirSync(dataDir, { recursive: true });
  const running = await findRunningEmbedded(dataDir);
  if (running) return { url: running, owned: false, stop: async () => {} };

  const lockFile = path.join(dataDir, "embedded.lock");
  if (!takeLock(lockFile)) {
    // Another process holds the files and is still starting its server: wait for it to listen.
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const url = await findRunningEmbedded(dataDir);
      if (url) return { url, owned: false, stop: async () => {} };
    }
    throw new Error(`The embedded database in ${dataDir} is locked by another process that never started serving it.`);
  }

  const db = await PGlite.create(path.join(dataDir, "pgdata"));
  // The socket server runs one query at a time and keeps a transaction's queries together, so several
  // connections (the app's pool, the CLI) are safe; it never interleaves two transactions.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 32 });
  await server.start();
  const address = server.getServerConn();
  const actualPort = Number(address.slice(address.lastIndexOf(":") + 1));
  const infoFile = path.join(dataDir, "embedded.json");
  fs.writeFileSync(infoFile, JSON.stringify({ pid: process.pid, port: actualPort } satisfies ServerInfo));

  let stopped = false;
  return {
    url: urlFor(actualPort),
    owned: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      fs.rmSync(infoFile, { force: true });
      fs.rmSync(lockFile, { force: true });
    },
  };
}

/**
 * The database URL for this process: DATABASE_URL when set, else the embedded server of DATA_DIR
 * (reused when running, started here otherwise).
 */
export async function resolveDatabase(): Promise<EmbeddedHandle & { embedded: boolean }> {
  const url = process.env.DATABASE_URL;
  if (url) return { url, owned: false, embedded: false, stop: async () => {} };
  return { ...(await ensureEmbedded()), embedded: true };
}
