// Runs once when the server boots: a missing or malformed setting stops it here with a clear message,
// instead of failing on the first request (STYLE.md 10).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./lib/config/env.ts");
  const parsed = env();
  if (!parsed.DATABASE_URL) {
    throw new Error(
      "OneThread cannot start: DATABASE_URL is not set. Start with `npm start` (embedded database) or set it.",
    );
  }
}
