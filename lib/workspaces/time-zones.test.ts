import { expect, test } from "vitest";
import { isTimeZone } from "./create-workspace.ts";
import { matchesTimeZone, timeZoneOptions } from "./time-zones.ts";

const options = timeZoneOptions(new Date("2026-12-02T00:00:00Z"));
const find = (q: string) => options.filter((o) => matchesTimeZone(o, q)).map((o) => o.id);

test("every listed zone is one the settings accept, UTC included, current names for old ones", () => {
  expect(options.length).toBeGreaterThan(300);
  for (const o of options) expect(isTimeZone(o.id), o.id).toBe(true);
  expect(options.map((o) => o.id)).toContain("UTC");
  expect(options.map((o) => o.id)).toContain("Asia/Kolkata");
  expect(options.map((o) => o.id)).not.toContain("Asia/Calcutta");
});

test("a search finds a zone by city, id, zone name or offset", () => {
  expect(find("berlin")).toEqual(["Europe/Berlin"]);
  expect(find("los angeles")).toEqual(["America/Los_Angeles"]);
  expect(find("America/Los_Angeles")).toEqual(["America/Los_Angeles"]);
  expect(find("pacific time")).toContain("America/Los_Angeles");
  expect(find("+5:30")).toContain("Asia/Kolkata");
  expect(find("utc+05:30")).toContain("Asia/Kolkata");
  expect(find("zzz")).toEqual([]);
});
