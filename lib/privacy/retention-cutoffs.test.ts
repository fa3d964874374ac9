import { expect, test } from "vitest";
import { monthsBefore, retentionCutoffs } from "./retention-cutoffs.ts";

test("calendar months back, the day clamped to the shorter month", () => {
  expect(monthsBefore(new Date("2026-12-02T03:30:00.123Z"), 24).toISOString()).toBe("2024-12-02T03:30:00.123Z");
  expect(monthsBefore(new Date("2026-03-31T12:00:00Z"), 1).toISOString()).toBe("2026-02-28T12:00:00.000Z");
  expect(monthsBefore(new Date("2028-03-31T12:00:00Z"), 1).toISOString()).toBe("2028-02-29T12:00:00.000Z");
  expect(monthsBefore(new Date("2026-01-15T00:00:00Z"), 13).toISOString()).toBe("2024-12-15T00:00:00.000Z");
});

test("paying customers keep theirs longer, never shorter", () => {
  const now = new Date("2026-12-02T00:00:00Z");
  expect(retentionCutoffs({ retentionMonths: 24, customerRetentionMonths: null }, now)).toEqual({
    events: new Date("2024-12-02T00:00:00Z"),
    customers: new Date("2024-12-02T00:00:00Z"),
  });
  expect(retentionCutoffs({ retentionMonths: 12, customerRetentionMonths: 36 }, now).customers).toEqual(
    new Date("2023-12-02T00:00:00Z"),
  );
  expect(retentionCutoffs({ retentionMonths: 24, customerRetentionMonths: 6 }, now).customers).toEqual(
    new Date("2024-12-02T00:00:00Z"),
  );
});
