import { env } from "./env.ts";

/**
 * The server's boot check (instrumentation.ts): a missing or malformed setting prints its message and
 * ends the process with code 1. Throwing is not enough: Next logs a failed instrumentation hook and keeps
 * serving, so `npm start` (and any supervisor) would wait forever on a server that can never work.
 */
export function checkEnvOrExit() {
  try {
    const parsed = env();
    if (!parsed.DATABASE_URL) {
      throw new Error(
        "OneThread cannot start: DATABASE_URL is not set. Start with `npm start` (embedded database) or set it.",
      );
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
