import { defineConfig } from "@playwright/test";

/** E2E_PORT lets two checkouts run their e2e suites side by side. */
const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * End-to-end tests against the production build (`npm run build` first; `npm run test:e2e` does both) on a
 * fresh database of the local Postgres, in Debian's Chromium (Playwright's own browser download cannot work
 * offline). tests/e2e/server.ts creates the database, migrates it, serves the app and drops it afterwards.
 */
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `node --import tsx tests/e2e/server.ts ${PORT}`,
    // SIGTERM and a moment to drop the test database (tests/e2e/server.ts), instead of a kill that leaves it.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    url: `http://localhost:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
  },
});
