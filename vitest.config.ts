import { defineConfig } from "vitest/config";

// Secrets for tests only: fixed values so failures reproduce. Never used outside the test runner.
const testEnv: Record<string, string> = {
  NODE_ENV: "test",
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
  MASTER_KEY: "test-master-key-0123456789abcdef0123456789",
  CRON_SECRET: "test-cron-secret-0123456789",
  TEST_POSTGRES_URL: process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
};

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "tests/unit/**/*.test.ts"],
          env: testEnv,
          setupFiles: ["tests/support/fail-on-console-error.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          env: testEnv,
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: ["tests/support/fail-on-console-error.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
        },
      },
    ],
  },
});
