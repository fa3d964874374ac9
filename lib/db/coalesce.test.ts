import { expect, test } from "vitest";
import { coalesced } from "./coalesce.ts";

test("calls made while both lanes are busy go together in the next run, each answered its own result", async () => {
  const runs: number[][] = [];
  const double = coalesced(async (_key: object, items: number[]) => {
    runs.push(items);
    await new Promise((r) => setTimeout(r, 5));
    return items.map((n) => n * 2);
  });
  const key = {};
  const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => double(key, n)));
  expect(answers).toEqual([2, 4, 6, 8, 10]);
  expect(runs).toEqual([[1], [2], [3, 4, 5]]);
  // Another key is its own queue.
  runs.length = 0;
  await Promise.all([double(key, 6), double({}, 7)]);
  expect(runs).toEqual([[6], [7]]);
});

test("a failed run fails its own calls only", async () => {
  const run = coalesced(async (_key: object, items: string[]) => {
    await new Promise((r) => setTimeout(r, 5));
    if (items.includes("bad")) throw new Error("boom");
    return items;
  });
  const key = {};
  const first = run(key, "ok");
  const second = run(key, "fine too");
  const third = run(key, "bad");
  const fourth = run(key, "also in the failed run");
  await expect(first).resolves.toBe("ok");
  await expect(second).resolves.toBe("fine too");
  await expect(third).rejects.toThrow("boom");
  await expect(fourth).rejects.toThrow("boom");
  await expect(run(key, "later")).resolves.toBe("later");
});
