import { expect, test } from "vitest";
import { dueWeek, isoWeekOf, latestWeek, parseWeek, shiftWeek, summaryWeek } from "./summary-week.ts";

test("ISO weeks: week 1 holds January 4th; 53-week years exist, others refuse W53", () => {
  expect(isoWeekOf("2026-12-04")).toBe("2026-W49");
  expect(isoWeekOf("2027-01-01")).toBe("2026-W53"); // a Friday in 2026's 53rd week
  expect(isoWeekOf("2021-01-03")).toBe("2020-W53");
  expect(isoWeekOf("2024-12-30")).toBe("2025-W01");
  expect(parseWeek("2026-W53")?.friday).toBe("2027-01-01");
  expect(parseWeek("2025-W53")).toBeNull();
  for (const bad of ["2026-W00", "2026-W54", "2026W49", "2026-w49", "2026-W4", "", "9999-W01"])
    expect(parseWeek(bad), bad).toBeNull();
  expect(shiftWeek("2026-W53", 1)).toBe("2027-W01");
  expect(shiftWeek("2027-W01", -1)).toBe("2026-W53");
});

test("a week's span runs Friday 17:00 to Friday 17:00 local: 169 hours across autumn's change, 167 across spring's", () => {
  const autumn = summaryWeek("2026-W44", "Europe/Berlin"); // Oct 23 → Oct 30, clocks back on the 25th
  expect(autumn.from.toISOString()).toBe("2026-10-23T15:00:00.000Z");
  expect(autumn.to.toISOString()).toBe("2026-10-30T16:00:00.000Z");
  expect((autumn.to.getTime() - autumn.from.getTime()) / 3600_000).toBe(169);
  const spring = summaryWeek("2027-W11", "America/Los_Angeles"); // Mar 12 → Mar 19, clocks forward on the 14th
  expect(spring.from.toISOString()).toBe("2027-03-13T01:00:00.000Z");
  expect(spring.to.toISOString()).toBe("2027-03-20T00:00:00.000Z");
  expect((spring.to.getTime() - spring.from.getTime()) / 3600_000).toBe(167);
  expect(spring.previous.to).toEqual(spring.from);
  expect(summaryWeek("2026-W49", "Asia/Kathmandu").to.toISOString()).toBe("2026-12-04T11:15:00.000Z");
  expect(() => summaryWeek("2026-W60", "UTC")).toThrow(/ISO week/);
});

test("due: Friday from 17:00 until midnight local, with the week of that Friday", () => {
  expect(dueWeek(new Date("2026-12-04T15:59:00Z"), "Europe/Berlin")).toBeNull();
  expect(dueWeek(new Date("2026-12-04T16:00:00Z"), "Europe/Berlin")).toBe("2026-W49");
  expect(dueWeek(new Date("2026-12-04T22:59:00Z"), "Europe/Berlin")).toBe("2026-W49");
  expect(dueWeek(new Date("2026-12-04T23:00:00Z"), "Europe/Berlin")).toBeNull();
  expect(dueWeek(new Date("2026-12-05T01:00:00Z"), "America/Los_Angeles")).toBe("2026-W49");
  expect(dueWeek(new Date("2026-12-04T12:00:00Z"), "Asia/Kolkata")).toBe("2026-W49"); // 17:30
  expect(dueWeek(new Date("2026-12-04T11:00:00Z"), "Asia/Kolkata")).toBeNull(); // 16:30
  expect(dueWeek(new Date("2026-12-04T16:00:00Z"), "Not/AZone")).toBeNull();
});

test("the latest week whose summary has gone out", () => {
  expect(latestWeek(new Date("2026-12-04T15:59:00Z"), "Europe/Berlin")).toBe("2026-W48");
  expect(latestWeek(new Date("2026-12-04T16:00:00Z"), "Europe/Berlin")).toBe("2026-W49");
  expect(latestWeek(new Date("2026-12-09T10:00:00Z"), "Europe/Berlin")).toBe("2026-W49");
});
