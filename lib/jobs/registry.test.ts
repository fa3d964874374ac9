import fs from "node:fs";
import { expect, test } from "vitest";
import { JOBS } from "./registry.ts";

test("vercel.json schedules exactly the jobs of the registry, at their schedules", () => {
  const vercel = JSON.parse(fs.readFileSync("vercel.json", "utf8")) as { crons: { path: string; schedule: string }[] };
  const expected = JOBS.map((job) => ({ path: `/api/cron/${job.id}`, schedule: job.schedule }));
  expect(vercel.crons).toEqual(expected);
});

test("job ids are unique and URL-safe", () => {
  const ids = JOBS.map((job) => job.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
});
