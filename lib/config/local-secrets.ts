import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const NAMES = ["AUTH_SECRET", "MASTER_KEY", "CRON_SECRET"] as const;

/**
 * A local install (the embedded database under DATA_DIR) gets its secrets generated once and kept beside
 * the data, readable only by this user, so `npm start` works with no configuration and encrypted values
 * stay readable across restarts. Deployments set these in the environment instead; values already in the
 * environment always win. Returns the names that were filled in.
 */
export function loadLocalSecrets(dataDir: string): string[] {
  const file = path.join(dataDir, "secrets.json");
  let stored: Record<string, string> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
  let changed = false;
  for (const name of NAMES) {
    if (!stored[name]) {
      stored[name] = randomBytes(32).toString("base64url");
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  const filled: string[] = [];
  for (const name of NAMES) {
    if (!process.env[name]) {
      process.env[name] = stored[name];
      filled.push(name);
    }
  }
  return filled;
}

/** Reads `.env` (if present) into process.env without overriding what is already set. */
export function loadDotEnv(file = ".env") {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
