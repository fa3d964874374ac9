import { expect, test } from "vitest";
import { climb, countVisit, replayLadder, type VisitState } from "./ladder.ts";

const none = { email: 0, phone: 0, account: 0 };

test("R10: the rung is the highest reached, and never goes down", () => {
  expect(climb(0, none, 1)).toBe(0);
  expect(climb(0, none, 2)).toBe(1);
  expect(climb(1, { ...none, email: 1 }, 2)).toBe(2);
  expect(climb(0, { ...none, phone: 1 }, 0)).toBe(3);
  expect(climb(2, none, 0, "booking_created")).toBe(4);
  expect(climb(3, { ...none, account: 1 }, 0)).toBe(4);
  expect(climb(4, none, 0)).toBe(4);
});

test("R10: a visit ends after 30 minutes without a web event", () => {
  const v: VisitState = { visitCount: 0, lastWebAt: null };
  const min = 60_000;
  for (const t of [0, 10, 39, 69]) countVisit(v, t * min);
  expect(v.visitCount).toBe(1);
  countVisit(v, 100 * min);
  expect(v).toEqual({ visitCount: 2, lastWebAt: 100 * min });
});

test("R16: replaying the ladder over a person's events counts only the identifiers they hold", () => {
  const at = (m: number) => new Date(Date.UTC(2026, 10, 2, 10, m));
  const events = [
    { id: "c", occurredAt: at(50), source: "web", type: "form_submit", identityHashes: ["device:d", "email:e"] },
    { id: "a", occurredAt: at(0), source: "web", type: "page_view", identityHashes: ["device:d"] },
    { id: "b", occurredAt: at(45), source: "web", type: "page_view", identityHashes: ["device:d"] },
  ];
  const withEmail = replayLadder(events, new Set(["device:d", "email:e"]), at(0));
  expect(Object.fromEntries(withEmail.rungs)).toEqual({ a: 0, b: 1, c: 2 });
  expect(withEmail.reached.map((r) => [r.rung, r.eventId])).toEqual([
    [0, "a"],
    [1, "b"],
    [2, "c"],
  ]);
  const deviceOnly = replayLadder(events, new Set(["device:d"]), at(0));
  expect(deviceOnly.rung).toBe(1);
  expect(replayLadder([], new Set(["phone:p"]), at(0)).rung).toBe(3);
});
