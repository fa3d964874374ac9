import { expect, test } from "vitest";
import { createDb } from "../../lib/db/client.ts";
import { sqlOf } from "../../lib/db/raw-sql.ts";
import { liveProfiles } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { url } = await useTestDb();

const at = (n: number) => new Date(Date.parse("2026-11-02T10:00:00Z") + n * 60_000).toISOString();

test("the ingest transaction's statements are prepared once per connection and give the same identities", async () => {
  // One connection, so every batch below runs on it and pg_prepared_statements shows what it kept.
  const db = createDb(url, { poolMax: 1 });
  try {
    const w = await testWorkspace(db);
    const batches = 9;
    for (let b = 0; b < batches; b++) {
      // Each batch: new devices, a returning one, and an email that joins one device's visits to a person.
      await w.ingest([
        ev(`n${b}a`, "web", "page_view", at(b * 3), { deviceId: `d_${b}` }),
        ev(`n${b}b`, "web", "page_view", at(b * 3 + 1), { deviceId: `d_${b > 0 ? b - 1 : b}` }),
        ev(`n${b}c`, "web", "form_submit", at(b * 3 + 2), { deviceId: `d_${b}`, email: `p${b % 3}@example.com` }),
      ]);
    }
    const kept = await sqlOf(db).$queryRawUnsafe<{ statement: string; runs: number }[]>(
      `SELECT statement, (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements
       WHERE name LIKE 'onethread\\_%' ORDER BY statement`,
    );
    const of = (needle: string) => kept.filter((k) => k.statement.includes(needle));
    // Parsed once each, run once per batch: the lock round, the read under the locks and the write.
    expect(of("pg_advisory_xact_lock")).toEqual([expect.objectContaining({ runs: batches })]);
    expect(of(`AS existing`)).toEqual([expect.objectContaining({ runs: expect.any(Number) })]);
    expect(of(`INSERT INTO "Event"`)).toEqual([expect.objectContaining({ runs: batches })]);
    expect(of(`AS existing`)[0]?.runs).toBeGreaterThanOrEqual(batches);

    // Same outcome as unprepared statements: three people by email, each holding the devices that sent it.
    const people = await liveProfiles(db, w.workspaceId);
    expect(people.filter((p) => p.rung === 2)).toHaveLength(3);
    expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(batches * 3);
    expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
  } finally {
    await db.$disconnect();
  }
});

test("statements that are not marked stay unnamed (dynamic texts never pile up on a connection)", async () => {
  const db = createDb(url, { poolMax: 1 });
  try {
    for (let i = 0; i < 3; i++) await sqlOf(db).$queryRawUnsafe(`SELECT ${i} + $1::int AS n`, 1);
    const [row] = await sqlOf(db).$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE 'SELECT % + $1::int AS n'`,
    );
    expect(row?.n).toBe(0);
  } finally {
    await db.$disconnect();
  }
});
