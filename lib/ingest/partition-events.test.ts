import { expect, test } from "vitest";
import { partitionEvents } from "./partition-events.ts";
import type { PreparedEvent } from "./prepare-events.ts";

const e = (clientId: string, keys: string[], linkClickId: string | null = null) =>
  ({ clientId, identityHashes: keys, linkClickId }) as PreparedEvent;

test("events that share an identifier, a click or a client id stay together, in order", () => {
  const events = [
    e("1", ["device:a"]),
    e("2", ["device:b"]),
    e("3", ["device:a", "email:x"]),
    e("4", ["email:x"]),
    e("5", ["device:c"], "click1"),
    e("6", ["device:d"], "click1"),
    e("2", ["device:z"]),
  ];
  const parts = partitionEvents(events, 2);
  expect(parts).toHaveLength(2);
  const groupOf = (i: number) => parts.findIndex((p) => p.includes(i));
  expect(groupOf(0)).toBe(groupOf(2));
  expect(groupOf(2)).toBe(groupOf(3));
  expect(groupOf(4)).toBe(groupOf(5));
  expect(groupOf(1)).toBe(groupOf(6));
  for (const p of parts) expect(p).toEqual([...p].sort((x, y) => x - y));
  expect(parts.flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
});

test("one connected batch is one part; parts never outnumber components", () => {
  expect(partitionEvents([e("1", ["device:a"]), e("2", ["device:a"])], 2)).toEqual([[0, 1]]);
  expect(partitionEvents([e("1", []), e("2", [])], 4)).toHaveLength(2);
});
