import { expect, test } from "vitest";
import { cronMatches, nextCronTime, parseCron, previousCronTime } from "./cron-schedule.ts";
import { JOBS } from "./registry.ts";

const at = (iso: string) => new Date(iso);

test("every job's schedule parses", () => {
  for (const job of JOBS) expect(() => parseCron(job.schedule), job.id).not.toThrow();
});

test("a nightly schedule fires once a day at its minute (UTC)", () => {
  const s = parseCron("30 3 * * *");
  expect(cronMatches(s, at("2026-12-02T03:30:59Z"))).toBe(true);
  expect(cronMatches(s, at("2026-12-02T03:31:00Z"))).toBe(false);
  expect(nextCronTime(s, at("2026-12-02T03:30:00Z"))?.toISOString()).toBe("2026-12-03T03:30:00.000Z");
  expect(nextCronTime(s, at("2026-12-02T01:00:00Z"))?.toISOString()).toBe("2026-12-02T03:30:00.000Z");
  expect(previousCronTime(s, at("2026-12-02T10:00:00Z"))?.toISOString()).toBe("2026-12-02T03:30:00.000Z");
  expect(previousCronTime(s, at("2026-12-02T03:29:00Z"))?.toISOString()).toBe("2026-12-01T03:30:00.000Z");
  expect(previousCronTime(s, at("2026-12-02T03:30:20Z"))?.toISOString()).toBe("2026-12-02T03:30:00.000Z");
});

test("steps, ranges, lists, and cron's day-of-month OR day-of-week rule", () => {
  expect(nextCronTime(parseCron("*/15 * * * *"), at("2026-12-02T10:07:00Z"))?.toISOString()).toBe(
    "2026-12-02T10:15:00.000Z",
  );
  expect(nextCronTime(parseCron("0 9-17/4 * * 1-5"), at("2026-12-04T17:30:00Z"))?.toISOString()).toBe(
    "2026-12-07T09:00:00.000Z",
  );
  expect(nextCronTime(parseCron("0 0 1,15 * *"), at("2026-12-02T00:00:00Z"))?.toISOString()).toBe(
    "2026-12-15T00:00:00.000Z",
  );
  // The 13th, or any Friday.
  const either = parseCron("0 12 13 * 5");
  expect(nextCronTime(either, at("2026-12-02T00:00:00Z"))?.toISOString()).toBe("2026-12-04T12:00:00.000Z");
  expect(cronMatches(either, at("2026-12-13T12:00:00Z"))).toBe(true);
  expect(cronMatches(parseCron("0 0 * * 7"), at("2026-12-06T00:00:00Z"))).toBe(true); // 7 is Sunday too
  expect(nextCronTime(parseCron("0 0 29 2 *"), at("2027-03-01T00:00:00Z"))?.toISOString()).toBe(
    "2028-02-29T00:00:00.000Z",
  );
});

test("bad expressions are refused with the field named", () => {
  expect(() => parseCron("* * * *")).toThrow(/5 fields/);
  expect(() => parseCron("60 * * * *")).toThrow(/minute/);
  expect(() => parseCron("* * * JAN *")).toThrow(/month/);
  expect(() => parseCron("*/0 * * * *")).toThrow(/minute/);
});
