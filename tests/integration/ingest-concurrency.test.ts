import pg from "pg";
import { expect, test } from "vitest";
import { POST as events } from "../../app/api/v1/events/route.ts";
import { call, liveProfiles, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db, url } = await useTestDb();

const at = (n: number) => new Date(Date.parse("2026-11-02T10:00:00Z") + n * 1000).toISOString();
const send = (key: string, batch: unknown[]) => call(events, "/api/v1/events", { key, body: { events: batch } });

test("R8: 24 concurrent requests carrying the same new email produce ONE profile", async () => {
  const w = await testWorkspace(db);
  const responses = await Promise.all(
    Array.from({ length: 24 }, (_, n) =>
      send(w.apiKey, [
        ev(`c${n}`, "web", "form_submit", at(n), { deviceId: `d_conc_${n}`, email: "Race@Example.com" }),
      ]),
    ),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(24).fill(200));
  const ids = new Set(responses.map((r) => r.json.results[0].profileId));
  expect(ids.size).toBe(1);
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(1);
  expect(await db.identifier.count({ where: { workspaceId: w.workspaceId, type: "email" } })).toBe(1);
  expect(await db.identifier.count({ where: { workspaceId: w.workspaceId, type: "device" } })).toBe(24);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(24);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("R8: 24 concurrent transactions (as from separate app instances) with the same new phone make ONE profile", async () => {
  // The routes coalesce one process's concurrent requests; here each call is its own transaction, as it would
  // be from separate instances, so only the database's locks keep them apart.
  const w = await testWorkspace(db);
  const results = await Promise.all(
    Array.from({ length: 24 }, (_, n) =>
      w.ingest([
        ev(
          `t${n}`,
          "channel",
          "message_in",
          at(n),
          { phone: "(805) 555-0193", deviceId: `d_tx_${n}` },
          { channel: "sms", properties: { body: `m${n}` } },
        ),
      ]),
    ),
  );
  expect(new Set(results.map((r) => r[0]?.profileId)).size).toBe(1);
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(1);
  expect(await db.identifier.count({ where: { workspaceId: w.workspaceId, type: "phone" } })).toBe(1);
  expect(await db.message.count({ where: { workspaceId: w.workspaceId } })).toBe(24);
  expect(await db.conversation.count({ where: { workspaceId: w.workspaceId } })).toBe(1);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("R8: concurrent transactions merging the same profiles never lose an event or an identifier", async () => {
  const w = await testWorkspace(db);
  await w.ingest([
    ev("u1", "web", "form_submit", at(0), { deviceId: "d_u1", email: "u1@example.com" }),
    ev(
      "u2",
      "channel",
      "message_in",
      at(1),
      { phone: "+1 805 555 0194" },
      { channel: "sms", properties: { body: "x" } },
    ),
    ev("u3", "web", "page_view", at(2), { deviceId: "d_u3" }),
  ]);
  const shapes: Record<string, string>[] = [
    { email: "u1@example.com", phone: "+18055550194" },
    { phone: "805-555-0194", deviceId: "d_u3" },
    { deviceId: "d_u3", email: "U1@example.com" },
    { deviceId: "d_u1" },
  ];
  await Promise.all(
    Array.from({ length: 24 }, (_, n) =>
      w.ingest([
        ev(`v${n}a`, "agent", "agent_action", at(10 + n), shapes[n % 4]!),
        ev(`v${n}b`, "agent", "agent_action", at(11 + n), shapes[(n + 1) % 4]!),
      ]),
    ),
  );
  const live = await liveProfiles(db, w.workspaceId);
  expect(live).toHaveLength(1);
  expect(await db.event.count({ where: { profileId: live[0]!.id } })).toBe(3 + 48);
  expect(await db.identifier.count({ where: { profileId: live[0]!.id } })).toBe(4);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("R8: the same event sent by 20 concurrent requests is stored once; all but one answer duplicate", async () => {
  const w = await testWorkspace(db);
  const e = ev(
    "same",
    "channel",
    "message_in",
    at(0),
    { phone: "+1 805 555 0190" },
    { channel: "sms", properties: { body: "hi" } },
  );
  const responses = await Promise.all(Array.from({ length: 20 }, () => send(w.apiKey, [e])));
  const results = responses.map((r) => r.json.results[0]);
  expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
  expect(new Set(results.map((r) => r.profileId)).size).toBe(1);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(1);
  expect(await db.message.count({ where: { workspaceId: w.workspaceId } })).toBe(1);
});

test("R8: concurrent merges of the same profiles never lose an event or an identifier", async () => {
  const w = await testWorkspace(db);
  await w.ingest([
    ev("s1", "web", "form_submit", at(0), { deviceId: "d_m1", email: "m1@example.com" }),
    ev(
      "s2",
      "channel",
      "message_in",
      at(1),
      { phone: "+1 805 555 0191" },
      { channel: "sms", properties: { body: "one" } },
    ),
    ev("s3", "webhook", "account_created", at(2), { accountId: "acct_m3" }),
    ev("s4", "web", "page_view", at(3), { deviceId: "d_m4" }),
  ]);
  const kinds: Record<string, string>[] = [
    { email: "m1@example.com", phone: "+1 805 555 0191" },
    { phone: "(805) 555-0191", accountId: "acct_m3" },
    { accountId: "acct_m3", deviceId: "d_m4", email: "m1@example.com" },
    { email: "m1@example.com" },
    { phone: "8055550191" },
    { deviceId: "d_m4" },
    { deviceId: "d_m1", email: "M1@example.com" },
  ];
  const batches = Array.from({ length: 28 }, (_, n) => {
    const a = kinds[n % kinds.length]!;
    const b = kinds[(n * 3 + 1) % kinds.length]!;
    // Two events per request in opposite orders across requests: sorted locks keep them from deadlocking.
    return n % 2
      ? [ev(`x${n}a`, "agent", "agent_action", at(10 + n), a), ev(`x${n}b`, "agent", "agent_action", at(11 + n), b)]
      : [ev(`x${n}b`, "agent", "agent_action", at(11 + n), b), ev(`x${n}a`, "agent", "agent_action", at(10 + n), a)];
  });
  const responses = await Promise.all(batches.map((b) => send(w.apiKey, b)));
  expect(responses.map((r) => r.status)).toEqual(Array(28).fill(200));
  const live = await liveProfiles(db, w.workspaceId);
  expect(live).toHaveLength(1);
  const person = live[0]!;
  expect(await db.event.count({ where: { profileId: person.id } })).toBe(4 + 56);
  expect(person.eventCount).toBe(60);
  for (const [type, value] of [
    ["email", "m1@example.com"],
    ["phone", "+18055550191"],
    ["account", "acct_m3"],
    ["device", "d_m1"],
    ["device", "d_m4"],
  ] as const) {
    expect(await profileIdOf(db, w.ws, type, value), value).toBe(person.id);
  }
  expect(await db.message.count({ where: { profileId: person.id } })).toBe(1);
  expect(person).toMatchObject({ rung: 4, customerNumber: 1 });
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("a request held up by one person's lock holds up later requests of that person only", async () => {
  // The routes write one process's concurrent requests of a workspace as groups, several in flight at once
  // (lib/ingest/ingest-coalesced.ts): a request for others must not wait behind a group that waits for a lock.
  const w = await testWorkspace(db);
  const [before] = await w.ingest([ev("slow0", "web", "page_view", at(0), { deviceId: "d_slow" })]);
  const slow = before?.profileId as string;
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  try {
    // Another instance (or an owner's merge) is working on that person: their profile row stays locked.
    await holder.query("BEGIN");
    await holder.query(`SELECT id FROM "Profile" WHERE id = $1::uuid FOR UPDATE`, [slow]);
    let slowDone = false;
    const held = send(w.apiKey, [ev("slow1", "web", "page_view", at(1), { deviceId: "d_slow" })]).then((r) => {
      slowDone = true;
      return r;
    });
    // The held request has taken the profile's lock queue before the next one arrives.
    await expect.poll(() => waitingOnLocks(), { timeout: 5000 }).toBe(1);
    const other = await Promise.race([
      send(w.apiKey, [ev("fast1", "web", "page_view", at(2), { deviceId: "d_fast" })]),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    if (!other) throw new Error("The other person's request waited behind the held one for 10 s.");
    expect(other.status).toBe(200);
    expect(other.json.results[0]).toMatchObject({ id: "fast1", duplicate: false, rung: 0 });
    expect(slowDone).toBe(false);
    // A request for the held person waits in the process, to be written after (and with) what is ahead of
    // it, instead of opening a transaction of its own that would only queue on the same locks.
    const again = send(w.apiKey, [ev("slow2", "web", "page_view", at(3), { deviceId: "d_slow" })]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await waitingOnLocks()).toBe(1);
    await holder.query("COMMIT");
    const first = await held;
    expect(first.status).toBe(200);
    expect(first.json.results[0]).toMatchObject({ id: "slow1", profileId: slow, duplicate: false });
    const second = await again;
    expect(second.status).toBe(200);
    expect(second.json.results[0]).toMatchObject({ id: "slow2", profileId: slow, duplicate: false });
  } finally {
    await holder.end();
  }
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(4);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

/**
 * Backends of this database waiting for a lock, read outside any transaction (within one, Postgres keeps the
 * first reading of pg_stat_activity until it ends).
 */
async function waitingOnLocks() {
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return row?.n ?? 0;
}
