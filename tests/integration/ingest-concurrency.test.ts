import { expect, test } from "vitest";
import { POST as events } from "../../app/api/v1/events/route.ts";
import { call, liveProfiles, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

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
