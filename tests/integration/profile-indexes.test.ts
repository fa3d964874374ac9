import { expect, test } from "vitest";
import { sqlOf } from "../../lib/db/raw-sql.ts";
import { listPeople } from "../../lib/people/list-people.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// "Profile" is written on every event of a person. Its indexes on the merged-into link, the customer number and
// the name's blind index hold only the profiles that have one (decision 027): most profiles have none, and an
// index of their NULLs (or empty token lists) took an entry on every profile write.

const { db } = await useTestDb();
const at = (n: number) => new Date(Date.parse("2026-11-02T10:00:00Z") + n * 60_000).toISOString();

const entries = async (index: string) => {
  await db.$executeRawUnsafe(`VACUUM "Profile"`);
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT reltuples::int AS n FROM pg_class WHERE relname = $1`,
    index,
  );
  return row?.n;
};

test("the merged-into and customer-number indexes hold only merged profiles and customers; numbers stay unique", async () => {
  const w = await testWorkspace(db);
  await w.ingest(Array.from({ length: 30 }, (_, i) => ev(`v${i}`, "web", "page_view", at(i), { deviceId: `d${i}` })));
  // One anonymous device joins a known person (a merge); two people pay (customer numbers).
  await w.ingest([ev("e1", "webhook", "account_created", at(40), { email: "one@example.com" })]);
  await w.ingest([ev("e2", "webhook", "form_submit", at(41), { deviceId: "d1", email: "one@example.com" })]);
  await w.ingest([
    ev("p1", "webhook", "payment_succeeded", at(42), { email: "one@example.com" }),
    ev("p2", "webhook", "payment_succeeded", at(43), { phone: "+1 805 555 0170" }),
  ]);
  const merged = await db.profile.count({ where: { workspaceId: w.workspaceId, mergedIntoId: { not: null } } });
  const customers = await db.profile.findMany({
    where: { workspaceId: w.workspaceId, customerNumber: { not: null } },
    select: { id: true, customerNumber: true },
    orderBy: { customerNumber: "asc" },
  });
  expect(merged).toBeGreaterThanOrEqual(1);
  expect(customers).toHaveLength(2);
  expect(await db.profile.count({ where: { workspaceId: w.workspaceId } })).toBeGreaterThan(30);
  expect(await entries("Profile_mergedIntoId_idx")).toBe(merged);
  expect(await entries("Profile_workspaceId_customerNumber_key")).toBe(2);
  // Still a unique number per workspace.
  await expect(
    db.$executeRawUnsafe(
      `UPDATE "Profile" SET "customerNumber" = $2 WHERE id = $1::uuid`,
      customers[1]?.id,
      customers[0]?.customerNumber,
    ),
  ).rejects.toThrow(/Profile_workspaceId_customerNumber_key|unique/i);
});

test("the name index holds only named profiles, and a search by name still finds them through it", async () => {
  const w = await testWorkspace(db);
  await w.ingest(Array.from({ length: 20 }, (_, i) => ev(`a${i}`, "web", "page_view", at(i), { deviceId: `n${i}` })));
  await w.ingest([
    ev("f1", "webhook", "form_submit", at(30), { email: "jo@example.com" }, { properties: { name: "Jo Rivera" } }),
    ev("f2", "webhook", "form_submit", at(31), { email: "sam@example.com" }, { properties: { name: "Sam Okafor" } }),
  ]);
  // A GIN index counts the table's rows, not its own entries: its definition tells what it holds.
  const [index] = await db.$queryRawUnsafe<{ indexdef: string }[]>(
    `SELECT indexdef FROM pg_indexes WHERE indexname = 'Profile_nameTokens_idx'`,
  );
  expect(index?.indexdef).toMatch(/USING gin \("nameTokens"\) WHERE \(cardinality\("nameTokens"\) > 0\)/);
  const page = await listPeople(sqlOf(db), w.ws, { q: "rivera" });
  expect(page.people.map((p) => p.email)).toEqual(["jo@example.com"]);
  // The search's own condition lets the planner answer it from the partial index.
  const plan = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL enable_seqscan = off`);
    return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT id FROM "Profile" p WHERE cardinality(p."nameTokens") > 0 AND p."nameTokens" @> ARRAY['x']::text[]`,
    );
  });
  expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/Profile_nameTokens_idx/);
});
