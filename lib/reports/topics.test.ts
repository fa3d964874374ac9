import { expect, test } from "vitest";
import { EMERGING_MIN, isEmerging, rankTopics, type TopicDayCount } from "./topics.ts";

const week = { from: "2026-11-26", to: "2026-12-02" };
const row = (id: string, day: string, count: number, extra: Partial<TopicDayCount> = {}): TopicDayCount => ({
  id,
  name: id,
  label: id.charAt(0).toUpperCase() + id.slice(1),
  offered: true,
  kind: "starter",
  day,
  count,
  ...extra,
});

test("emerging: at least the minimum, above last week, and at least twice the earlier weeks' mean", () => {
  expect(EMERGING_MIN).toBe(3);
  expect(isEmerging(3, [0, 0, 0])).toBe(true); // new demand
  expect(isEmerging(2, [0, 0, 0])).toBe(false); // below the minimum
  expect(isEmerging(6, [2, 3, 4])).toBe(true); // mean 3, twice is 6
  expect(isEmerging(5, [2, 3, 4])).toBe(false);
  expect(isEmerging(8, [8, 0, 0])).toBe(false); // not above last week
  expect(isEmerging(9, [8, 0, 0])).toBe(true);
  expect(isEmerging(5, [])).toBe(false);
});

test("daily counts roll up into weeks ending with the report's week, ordered by count, emerging first on ties", () => {
  const topics = rankTopics(
    [
      // boxes: steady, 4 a week
      row("box", "2026-11-05", 4),
      row("box", "2026-11-12", 4),
      row("box", "2026-11-19", 4),
      row("box", "2026-12-01", 2),
      row("box", "2026-12-02", 2),
      // wine cellars: new this week
      row("wine cellar", "2026-11-26", 1, { kind: "discovered", offered: false }),
      row("wine cellar", "2026-11-30", 3, { kind: "discovered", offered: false }),
      // piano: fading
      row("piano", "2026-11-25", 5), // the last day of the week before
      row("piano", "2026-11-28", 1),
      // outside the four weeks: ignored
      row("piano", "2026-11-04", 50),
    ],
    week,
    4,
  );
  expect(topics.map((t) => [t.name, t.count, t.previousCount, t.emerging, t.weekly])).toEqual([
    ["wine cellar", 4, 0, true, [0, 0, 0, 4]],
    ["box", 4, 4, false, [4, 4, 4, 4]],
    ["piano", 1, 5, false, [0, 0, 5, 1]],
  ]);
  expect(topics[0]).toMatchObject({ label: "Wine cellar", offered: false, kind: "discovered" });
});

test("a period of another length compares with the periods of that length before it", () => {
  const [t] = rankTopics(
    [row("box", "2026-12-01", 3), row("box", "2026-11-30", 1)],
    { from: "2026-12-01", to: "2026-12-02" },
    2,
  );
  expect(t).toMatchObject({ count: 3, previousCount: 1, weekly: [1, 3] });
});
