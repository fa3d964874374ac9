import { expect, test } from "vitest";
import journey from "../../lib/demo/journey-12-days.json" with { type: "json" };
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

test("Example 8: the product page's 12-day journey gives one profile and exactly the expected rungs", async () => {
  const w = await testWorkspace(db);
  const results = await w.ingest(journey.events);
  expect(results.map((r) => r.rung)).toEqual(journey.expect.rungs);
  expect(new Set(results.map((r) => r.profileId)).size).toBe(1);
  const profiles = await db.profile.findMany({ where: { workspaceId: w.workspaceId, mergedIntoId: null } });
  expect(profiles).toHaveLength(journey.expect.profiles);
  const p = profiles[0]!;
  expect(p.rung).toBe(4);
  expect(p.customerNumber).toBe(1);
  const idents = await db.identifier.groupBy({ by: ["type"], where: { profileId: p.id }, _count: true });
  expect(Object.fromEntries(idents.map((i) => [i.type, i._count]))).toEqual(journey.expect.identifiers);
  expect(p.firstTouch).toMatchObject(journey.expect.firstTouch);
  const stored = await db.event.findMany({
    where: { workspaceId: w.workspaceId },
    orderBy: { occurredAt: "asc" },
    select: { rung: true },
  });
  expect(stored.map((e) => e.rung)).toEqual(journey.expect.rungs);
});
