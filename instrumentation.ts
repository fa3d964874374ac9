// Runs once when the server boots: a missing or malformed setting stops it here with a clear message and
// exit code 1, instead of failing on the first request (STYLE.md 10).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { checkEnvOrExit } = await import("./lib/config/boot-check.ts");
  checkEnvOrExit();
  if (!process.env.DATABASE_URL) return;
  // What a killed process left in the ingest log, and what other instances log, is drained from the start.
  // The scheduled jobs (vercel.json's schedule) run here too when self-hosted (lib/jobs/scheduler.ts).
  const [{ getDb }, { startPolling }, { startScheduler }] = await Promise.all([
    import("./lib/db/client.ts"),
    import("./lib/ingest/drain-ingest-log.ts"),
    import("./lib/jobs/scheduler.ts"),
  ]);
  startPolling(getDb());
  startScheduler(getDb());
}
