import { expect, test } from "vitest";
import { dueDate } from "./record-privacy-request.ts";

test("P12: a request is due one calendar month after receipt, at the same time of day", () => {
  expect(dueDate(new Date("2026-12-02T06:15:00.123Z")).toISOString()).toBe("2027-01-02T06:15:00.123Z");
  expect(dueDate(new Date("2026-11-30T23:59:59Z")).toISOString()).toBe("2026-12-30T23:59:59.000Z");
});

test("P12: a month without the day is due on its last day, never in the month after", () => {
  expect(dueDate(new Date("2027-01-31T10:00:00Z")).toISOString()).toBe("2027-02-28T10:00:00.000Z");
  expect(dueDate(new Date("2028-01-30T10:00:00Z")).toISOString()).toBe("2028-02-29T10:00:00.000Z");
  expect(dueDate(new Date("2026-03-31T10:00:00Z")).toISOString()).toBe("2026-04-30T10:00:00.000Z");
  expect(dueDate(new Date("2026-12-31T10:00:00Z")).toISOString()).toBe("2027-01-31T10:00:00.000Z");
});
