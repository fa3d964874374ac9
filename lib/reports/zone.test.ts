import { expect, test } from "vitest";
import { pageRange, presetRange, resolveRange } from "./report-range.ts";
import { addDays, daysBetween, localDay, startOfLocalDay } from "./zone.ts";

test("local days start at local midnight, whatever the offset", () => {
  expect(startOfLocalDay("2026-11-02", "America/Los_Angeles").toISOString()).toBe("2026-11-02T08:00:00.000Z");
  expect(startOfLocalDay("2026-07-02", "America/Los_Angeles").toISOString()).toBe("2026-07-02T07:00:00.000Z");
  expect(startOfLocalDay("2026-11-02", "Asia/Kolkata").toISOString()).toBe("2026-11-01T18:30:00.000Z");
  expect(startOfLocalDay("2026-11-02", "Asia/Kathmandu").toISOString()).toBe("2026-11-01T18:15:00.000Z");
  expect(startOfLocalDay("2026-11-02", "UTC").toISOString()).toBe("2026-11-02T00:00:00.000Z");
});

test("days across daylight-saving changes are 23 and 25 hours long", () => {
  const hours = (day: string, zone: string) =>
    (startOfLocalDay(addDays(day, 1), zone).getTime() - startOfLocalDay(day, zone).getTime()) / 3_600_000;
  expect(hours("2026-03-08", "America/Los_Angeles")).toBe(23);
  expect(hours("2026-11-01", "America/Los_Angeles")).toBe(25);
  expect(hours("2026-03-29", "Europe/Berlin")).toBe(23);
});

test("a midnight the clocks skip: the day starts when it begins", () => {
  // Chile moves its clocks from 24:00 to 01:00 on the first Sunday of September.
  const start = startOfLocalDay("2026-09-06", "America/Santiago");
  expect(localDay(start, "America/Santiago")).toBe("2026-09-06");
  expect(localDay(start.getTime() - 1, "America/Santiago")).toBe("2026-09-05");
});

test("the days of a range, in the zone", () => {
  const from = new Date("2026-11-02T08:00:00Z");
  const to = new Date("2026-11-05T08:00:00Z");
  expect(daysBetween(from, to, "America/Los_Angeles")).toEqual(["2026-11-02", "2026-11-03", "2026-11-04"]);
  expect(daysBetween(from, to, "UTC")).toEqual(["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]);
});

test("ranges: presets from local midnight, dates as local days with `to` included, instants as given", () => {
  const now = new Date("2026-12-01T20:00:00Z");
  expect(presetRange("7d", "America/Los_Angeles", now)).toEqual({
    from: new Date("2026-11-25T08:00:00Z"),
    to: now,
    timezone: "America/Los_Angeles",
  });
  expect(resolveRange({ from: "2026-11-01", to: "2026-11-30" }, "Europe/Berlin", now)).toMatchObject({
    from: new Date("2026-10-31T23:00:00Z"),
    to: new Date("2026-11-30T23:00:00Z"),
  });
  expect(resolveRange({ from: "2026-11-03T10:15:00+01:00", to: "1793836800000" }, "UTC", now)).toMatchObject({
    from: new Date("2026-11-03T09:15:00Z"),
    to: new Date(1793836800000),
  });
  // Nothing given: the last 30 days.
  expect(resolveRange({}, "UTC", now).from).toEqual(new Date("2026-11-02T00:00:00Z"));
  expect(() => resolveRange({ from: "2026-11-05", to: "2026-11-01" }, "UTC", now)).toThrow(/from: must be before/);
});

test("a page's range from its URL; anything edited by hand falls back to the last 30 days", () => {
  const now = new Date("2026-12-01T20:00:00Z");
  expect(pageRange({ range: "90d" }, "UTC", now)).toMatchObject({
    preset: "90d",
    fromDay: "2026-09-03",
    toDay: "2026-12-01",
  });
  expect(pageRange({ from: "2026-11-01", to: "2026-11-07" }, "UTC", now)).toMatchObject({
    preset: null,
    fromDay: "2026-11-01",
    toDay: "2026-11-07",
  });
  for (const sp of [
    { range: "2y" },
    { from: "2026-11-07", to: "2026-11-01" },
    { from: "2026-02-30", to: "2026-03-02" },
    {},
  ])
    expect(pageRange(sp, "UTC", now)).toMatchObject({ preset: "30d", fromDay: "2026-11-02", toDay: "2026-12-01" });
});
