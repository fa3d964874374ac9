import { expect, test } from "vitest";
import { isUuid, uuidv7 } from "./uuidv7.ts";

test("a version 7, variant 10 UUID carrying the millisecond it was made in", () => {
  const id = uuidv7(Date.parse("2026-12-01T05:00:00.000Z"));
  expect(isUuid(id)).toBe(true);
  expect(id[14]).toBe("7");
  expect("89ab").toContain(id[19]);
  expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.parse("2026-12-01T05:00:00.000Z"));
});

test("ids made one after the other only grow, also within one millisecond and past 4,096 of them", () => {
  const ms = Date.now() + 60_000;
  const ids = Array.from({ length: 10_000 }, () => uuidv7(ms));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
  expect(uuidv7(ms - 5)).not.toBe(uuidv7(ms - 5)); // an older millisecond still gets distinct ids
});
