import { expect, test } from "vitest";
import journey from "../demo/journey-12-days.json" with { type: "json" };
import { describeEvent } from "./describe-event.ts";
import type { JourneyEvent } from "./get-journey.ts";
import { buildReplay, offsetLabel } from "./replay-frames.ts";

const REACHED: Record<string, number> = { j1: 0, j3: 1, j4: 2, j7: 3, j10: 4 };

const asJourney = (events = journey.events) =>
  events.map((e, n) => ({
    id: e.id,
    source: e.source,
    type: e.type,
    occurredAt: new Date(e.occurredAt).toISOString(),
    rung: journey.expect.rungs[n] ?? 0,
    channel: (e as { channel?: string }).channel ?? null,
    direction: null,
    summary: "",
    reached: REACHED[e.id] ?? null,
    arrivedWith: [],
    properties: e.properties ?? {},
    campaign: null,
    ...describeEvent(e as Parameters<typeof describeEvent>[0]),
  })) as JourneyEvent[];

test("the 12-day journey replays ad → page → form → email → WhatsApp → deposit, climbing the ladder", () => {
  const r = buildReplay(asJourney(), { timeZone: "America/Los_Angeles", now: new Date("2026-11-24T00:00:00Z") });
  expect(r.frames).toHaveLength(14);
  expect(r.frames[0]).toMatchObject({ offset: "T+0", when: "Day 1 · 11:42 PM", rung: 0, lane: "web" });
  expect(r.frames[1]).toMatchObject({ offset: "T+1m", title: "Viewed /pricing/" });
  expect(r.frames[3]).toMatchObject({ when: "Day 3 · 2:30 PM", reached: 2, step: "form" });
  expect(r.frames[7]).toMatchObject({
    when: "Day 4 · 9:12 AM",
    lane: "whatsapp",
    text: "Hi! Got your quote - is Saturday morning free?",
  });
  expect(r.frames.at(-1)).toMatchObject({ when: "Day 12 · 3:14 PM", rung: 4 });
  expect(r.outcome).toEqual({ kind: "converted", frame: 9, label: "Paid a $50.00 deposit — a paying customer" });
  expect(r.rungs.map((x) => x.frame)).toEqual([0, 2, 3, 6, 9]);
  expect(r.lanes.map((l) => l.lane)).toEqual(["web", "email", "sms", "whatsapp", "agent", "payment"]);
});

test("a journey that never paid is marked where it stopped", () => {
  const r = buildReplay(asJourney(journey.events.slice(0, 6)), {
    timeZone: "America/Los_Angeles",
    now: new Date("2026-11-14T22:34:00Z"),
  });
  expect(r.outcome).toEqual({
    kind: "stopped",
    frame: 5,
    rung: 2,
    label: "Stopped at rung 2 · Email after “Opened the quote email”, 10 days ago; no payment",
  });
  expect(buildReplay([], { timeZone: "UTC", now: new Date() }).outcome).toBeNull();
  // Only the first part of a longer history: no payment seen yet says nothing about where it stopped.
  const part = buildReplay(asJourney(journey.events.slice(0, 6)), { timeZone: "UTC", now: new Date(), total: 9000 });
  expect(part).toMatchObject({ outcome: null, truncated: true, total: 9000 });
});

test("offsets read like the product page", () => {
  expect(offsetLabel(0)).toBe("T+0");
  expect(offsetLabel(12_000)).toBe("T+12s");
  expect(offsetLabel(4 * 60_000)).toBe("T+4m");
  expect(offsetLabel(3 * 3600_000 + 5 * 60_000)).toBe("T+3h 05m");
  expect(offsetLabel(2 * 86_400_000 + 9 * 3600_000)).toBe("T+2d 9h");
});
