import { expect, test } from "vitest";
import { burstLabel, dayKey, dayLabel, groupJourney } from "./group-journey.ts";

const LA = "America/Los_Angeles";
const ev = (id: string, occurredAt: string, type = "page_view", extra: Record<string, unknown> = {}) => ({
  id,
  occurredAt,
  source: "web",
  type,
  ...extra,
});

test("days in the workspace's zone, counted from the first day", () => {
  // 07:42 UTC on Nov 3 is 11:42 PM on Monday Nov 2 in Los Angeles.
  expect(dayKey("2026-11-03T07:42:00Z", LA)).toBe("2026-11-02");
  expect(dayLabel("2026-11-02", "2026-11-02")).toBe("Day 1 · Mon Nov 2");
  expect(dayLabel("2026-11-13", "2026-11-02")).toBe("Day 12 · Fri Nov 13");
  expect(dayLabel("2027-01-04", "2026-11-02")).toBe("Day 64 · Mon Jan 4, 2027");
  const rows = groupJourney([ev("a", "2026-11-03T07:42:00Z"), ev("b", "2026-11-03T16:14:00Z", "form_submit")], {
    timeZone: LA,
    firstDay: "2026-11-02",
  });
  expect(rows.map((r) => (r.kind === "day" ? r.label : r.kind === "event" ? r.event.id : r.kind))).toEqual([
    "Day 1 · Mon Nov 2",
    "a",
    "Day 2 · Tue Nov 3",
    "b",
  ]);
});

test("quick browsing folds into a burst; a rung change, a landing, a gap or another source breaks it", () => {
  const base = Date.parse("2026-11-05T18:00:00Z");
  const at = (min: number) => new Date(base + min * 60_000).toISOString();
  const events = [
    ev("l", at(0), "page_view", { landing: true }),
    ev("p1", at(1)),
    ev("s1", at(1.5), "scroll"),
    ev("p2", at(2)),
    ev("p3", at(3)),
    ev("p4", at(4)),
    ev("p5", at(5)),
    ev("x", at(6), "page_view", { reached: 1 }),
    ev("q1", at(7)),
    ev("q2", at(8)),
    { id: "m", occurredAt: at(9), source: "channel", type: "message_in" },
    ev("r1", at(10)),
    ev("r2", at(11)),
    ev("r3", at(30)),
  ];
  const rows = groupJourney(events, { timeZone: "UTC", firstDay: "2026-11-05" });
  const shape = rows.map((r) =>
    r.kind === "burst" ? `burst(${r.events.map((e) => e.id).join(",")})` : r.kind === "event" ? r.event.id : r.kind,
  );
  expect(shape).toEqual(["day", "l", "burst(p1,s1,p2,p3,p4,p5)", "x", "q1", "q2", "m", "r1", "r2", "r3"]);
  const burst = rows.find((r) => r.kind === "burst");
  expect(burst?.kind === "burst" && burst.label).toBe("Viewed 5 pages in 4 min");
  // Expanded, the burst stays as a header and its events follow it.
  const open = groupJourney(events, { timeZone: "UTC", firstDay: "2026-11-05", expanded: new Set(["burst-p1"]) });
  expect(open.filter((r) => r.kind === "event").length).toBe(events.length);
  expect(burstLabel([ev("a", at(0), "scroll"), ev("b", at(0.2), "click"), ev("c", at(0.4), "scroll")])).toBe(
    "3 site signals in under a minute",
  );
});

test("merges and splits sit among the events by time; later ones wait until the last page is loaded", () => {
  const events = [
    ev("a", "2026-11-05T10:00:00.000Z", "form_submit"),
    ev("b", "2026-11-06T10:00:00.000Z", "form_submit"),
  ];
  const records = [
    { id: "m1", at: "2026-11-05T12:00:00.000Z" },
    { id: "m2", at: "2026-11-20T12:00:00.000Z" },
  ];
  const ids = (complete: boolean) =>
    groupJourney(events, { timeZone: "UTC", firstDay: "2026-11-05", records, complete })
      .filter((r) => r.kind !== "day")
      .map((r) => (r.kind === "record" ? r.record.id : r.kind === "event" ? r.event.id : r.kind));
  expect(ids(false)).toEqual(["a", "m1", "b"]);
  expect(ids(true)).toEqual(["a", "m1", "b", "m2"]);
});
