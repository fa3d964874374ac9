import { expect, test } from "vitest";
import { DEMO_LOGIN, seedDemoIfEmpty } from "../../lib/demo/seed-demo.ts";
import { useTestDb } from "../support/db.ts";

const { db } = await useTestDb();

test("the demo seed fills an empty database once: every source, every rung, the journey's Jo Rivera", async () => {
  const first = await seedDemoIfEmpty(db, () => {}, new Date("2026-11-24T12:00:00Z"));
  expect(first).toMatchObject({ email: DEMO_LOGIN.email, slug: "acme-movers" });
  const ws = await db.workspace.findUniqueOrThrow({ where: { slug: "acme-movers" } });
  const sources = await db.event.groupBy({ by: ["source"], where: { workspaceId: ws.id }, _count: true });
  expect(sources.map((s) => s.source).sort()).toEqual(["ads", "agent", "channel", "email", "pixel", "web", "webhook"]);
  const rungs = await db.profile.groupBy({
    by: ["rung"],
    where: { workspaceId: ws.id, mergedIntoId: null },
    _count: true,
  });
  expect(rungs.map((r) => r.rung).sort()).toEqual([0, 1, 2, 3, 4]);
  expect(await db.profile.count({ where: { workspaceId: ws.id, mergedIntoId: null } })).toBeGreaterThan(40);
  const again = await seedDemoIfEmpty(db);
  expect(again?.slug).toBe("acme-movers");
  expect(await db.workspace.count()).toBe(1);
});
