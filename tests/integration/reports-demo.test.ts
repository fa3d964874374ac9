import { expect, test } from "vitest";
import { sqlOf } from "../../lib/db/raw-sql.ts";
import { seedDemoIfEmpty } from "../../lib/demo/seed-demo.ts";
import { gaComparison } from "../../lib/reports/ga-comparison.ts";
import { ladderReport } from "../../lib/reports/ladder-report.ts";
import { overviewReport } from "../../lib/reports/overview-report.ts";
import { presetRange } from "../../lib/reports/report-range.ts";
import { useTestDb } from "../support/db.ts";
import { rollupViolations } from "../support/report-rollups.ts";

const { db } = await useTestDb();
const now = new Date("2026-11-24T12:00:00Z");

test("the demo workspace fills the overview, the ladder and all eight GA questions", async () => {
  await seedDemoIfEmpty(db, () => {}, now);
  const ws = await db.workspace.findUniqueOrThrow({ where: { slug: "acme-movers" } });
  expect(await rollupViolations(db, ws.id)).toEqual([]);
  const range = presetRange("30d", ws.timezone, now);

  const overview = await overviewReport(sqlOf(db), ws.id, range);
  expect(overview.days).toHaveLength(30);
  // Signals on most days of the month, from every source.
  expect(overview.days.filter((d) => Object.values(d.signals).some((n) => n > 0)).length).toBeGreaterThan(20);
  for (const source of ["web", "email", "channel", "agent", "webhook", "pixel", "ads"])
    expect(
      overview.days.some((d) => (d.signals[source] ?? 0) > 0),
      source,
    ).toBe(true);
  expect(overview.totals.newCustomers).toBeGreaterThan(3);
  expect(overview.totals.deposits[0]).toMatchObject({ currency: "usd" });
  expect(overview.totals.refunds[0]?.count).toBeGreaterThanOrEqual(2);
  expect(overview.unanswered.count).toBeGreaterThanOrEqual(4);
  expect(overview.recent).toHaveLength(12);

  const ladder = await ladderReport(sqlOf(db), ws.id, range);
  for (const r of ladder.rungs) expect(r.reached, `rung ${r.rung}`).toBeGreaterThan(0);
  for (const s of ladder.steps) expect(s.rate, `step ${s.from}`).toBeGreaterThan(0);

  const ga = await gaComparison(sqlOf(db), ws, range);
  const q = Object.fromEntries(ga.questions.map((x) => [x.id, x]));
  expect(q.identity?.figures.devices).toBeGreaterThan(q.identity?.figures.people as number);
  expect(q.whatsapp?.figures.whatsappMessages).toBeGreaterThan(0);
  expect(q.paid?.figures.payers).toBeGreaterThan(3);
  expect(q.ads?.figures.adClicks).toBeGreaterThan(0);
  expect(q.ads?.figures.conversionsSent).toBeGreaterThan(0);
  expect(q.drop_off?.answer).toMatch(/^\d+ stopped at rung [23] \((email|phone)\) — most after /);
  expect(q.cancelled?.figures.refunds).toBeGreaterThanOrEqual(2);
  expect(q.journey?.figures.personSources).toBeGreaterThan(2);
  for (const x of ga.questions.filter((x) => x.id !== "demand")) expect(x.proof, x.id).not.toBeNull();
});
