/** The e2e app's settings (test-only secrets). Shared by the server and by fixtures that read the database. */
export const E2E_ENV = {
  NODE_ENV: "production",
  AUTH_SECRET: "e2e-auth-secret-0123456789abcdef0123456789",
  MASTER_KEY: "e2e-master-key-0123456789abcdef0123456789",
  CRON_SECRET: "e2e-cron-secret-0123456789",
  DEV_OUTBOX: "1",
} as const;

/** The app's port (playwright.config.ts) and a customer test site's port, both movable for parallel checkouts. */
export const APP_PORT = Number(process.env.E2E_PORT ?? 3100);
export const SITE_PORT = Number(process.env.E2E_SITE_PORT ?? APP_PORT + 99);
/** The Next.js example of first-party serving (examples/first-party-nextjs), run as the business's own site. */
export const EXAMPLE_PORT = Number(process.env.E2E_EXAMPLE_PORT ?? SITE_PORT - 1);

/**
 * Where tests/e2e/server.ts writes its database's URL, for fixtures that read what no page shows to them
 * (login-link mail: /dev/outbox shows it only under `npm run dev`).
 */
export const databaseUrlFile = (port: number | string) => `tmp/e2e-${port}.database-url`;

/** The stand-in for Meta's and Google's conversion APIs (tests/e2e/send-back.spec.ts): the app sends there. */
export const FAKE_ADS_PORT = Number(process.env.E2E_FAKE_ADS_PORT ?? APP_PORT + 97);
