// Runs once when the server boots: a missing or malformed setting stops it here with a clear message and
// exit code 1, instead of failing on the first request (STYLE.md 10).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { checkEnvOrExit } = await import("./lib/config/boot-check.ts");
  checkEnvOrExit();
}
