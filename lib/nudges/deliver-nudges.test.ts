import { expect, test } from "vitest";
import { findJob } from "../jobs/registry.ts";
import { retryDelayMs } from "./deliver-nudges.ts";

test("webhook retries back off 1, 2, 4 … minutes with ±20% jitter, capped at 2 hours", () => {
  expect(retryDelayMs(1, 0.5)).toBe(60_000);
  expect(retryDelayMs(2, 0.5)).toBe(120_000);
  expect(retryDelayMs(3, 0.5)).toBe(240_000);
  expect(retryDelayMs(1, 0)).toBe(48_000);
  expect(retryDelayMs(1, 1)).toBe(72_000);
  expect(retryDelayMs(20, 0.5)).toBe(2 * 3_600_000);
});

test("the nudges job runs every 5 minutes, one period per 5-minute slot", () => {
  const job = findJob("nudges");
  expect(job?.schedule).toBe("*/5 * * * *");
  expect(job?.period(new Date("2026-12-02T13:04:59Z"))).toBe("2026-12-02T13:00");
  expect(job?.period(new Date("2026-12-02T13:05:00Z"))).toBe("2026-12-02T13:05");
});
