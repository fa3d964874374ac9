import { expect, test } from "vitest";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// "Profile" is written on every event of a person. Its indexes on the merged-into link and the customer number
// hold only the profiles that have one (decision 027): most profiles have neither, and an index of their NULLs
// took an entry, and a split of one long run of NULL keys, on every profile write.

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
