import { expect, test } from "vitest";
import { DELETE as profileDelete } from "../../app/api/v1/profiles/[id]/route.ts";
import { hashIdentifier } from "../../lib/crypto/keys.ts";
import { uuidv7 } from "../../lib/db/uuidv7.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { eraseProfile, erasureDigest } from "../../lib/privacy/erase-profile.ts";
import { call, liveProfiles, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

const at = (n: number) => new Date(Date.parse("2026-11-02T10:00:00Z") + n * 60_000).toISOString();

/** Every text-like column of every table (information_schema), searched for each needle. */
async function tablesHolding(needles: string[]) {
  const columns = await db.$queryRawUnsafe<{ table_name: string; column_name: string }[]>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name NOT IN ('_prisma_migrations')
       AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED')`,
  );
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE '%' || $1 || '%'`,
        needle,
      );
      if (row?.n) found.push(`${table_name}.${column_name} holds ${needle}`);
    }
  }
  return found;
}

test("R17 (example 10): erase a merged person; a later event with their old email starts a fresh profile at rung 2", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([ev("e1", "web", "form_submit", at(0), { deviceId: "d_x1", email: "again@example.com" })]);
  const [b] = await w.ingest([ev("e2", "webhook", "payment_succeeded", at(1), { phone: "+1 805 555 0151" })]);
  await mergeProfiles(db, w.workspaceId, a!.profileId!, b!.profileId!);
  // Erasing by the merged-away id erases the whole person.
  expect(await eraseProfile(db, w.workspaceId, a!.profileId!)).toBe(true);
  expect(await db.profile.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  const [fresh] = await w.ingest([ev("e3", "agent", "agent_action", at(5), { email: "Again@example.com" })]);
  expect(fresh?.rung).toBe(2);
  expect([a?.profileId, b?.profileId]).not.toContain(fresh?.profileId);
  const p = await db.profile.findUniqueOrThrow({ where: { id: fresh!.profileId! } });
  expect(p).toMatchObject({ rung: 2, eventCount: 1, customerNumber: null });
  expect(await db.event.count({ where: { profileId: p.id } })).toBe(1);
  expect(await eraseProfile(db, w.workspaceId, uuidv7())).toBe(false);
});

test("P11: after erasure no row in any table holds the person's email, phone, hashes, device ids or message bodies", async () => {
  const w = await testWorkspace(db);
  const email = "erase.me@example.com";
  const phone = "+18055550150";
  await w.ingest([
    ev(
      "p1",
      "web",
      "page_view",
      at(0),
      { deviceId: "d_erase_1" },
      { properties: { url: "https://acme.test/?utm_source=google" } },
    ),
    ev("p2", "web", "page_view", at(1), { deviceId: "d_erase_2" }),
    ev("p3", "web", "form_submit", at(2), { deviceId: "d_erase_1", email: "Erase.Me@example.com" }),
    ev(
      "p4",
      "channel",
      "message_in",
      at(3),
      { phone: "(805) 555-0150" },
      { channel: "whatsapp", properties: { body: "secret piano question" } },
    ),
    ev("p5", "web", "identify", at(4), { deviceId: "d_erase_2", email, phone: "805 555 0150" }),
    ev(
      "p6",
      "webhook",
      "payment_succeeded",
      at(5),
      { email, accountId: "cus_erase" },
      { properties: { amount: 5000 } },
    ),
  ]);
  // Another person, whose own event carried the erased email (refused: different accounts).
  const [other] = await w.ingest([
    ev("o1", "webhook", "account_created", at(6), { accountId: "cus_other", email }),
    ev(
      "o2",
      "channel",
      "message_in",
      at(7),
      { accountId: "cus_other", phone: "+1 805 555 0152" },
      { channel: "sms", properties: { body: "other body" } },
    ),
  ]);
  const person = (await profileIdOf(db, w.ws, "email", email))!;
  expect(person).not.toBe(other?.profileId);
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId } })).toBeGreaterThan(0);
  // Rows other capabilities keep per person.
  const deviceHash = hashIdentifier(w.ws.hashSalt, "device", "d_erase_1");
  const link = await db.trackedLink.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      code: `e${Date.now()}`,
      url: "https://acme.test/",
      profileId: person,
    },
  });
  await db.linkClick.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      linkId: link.id,
      clickId: `clk_${Date.now()}`,
      profileId: person,
      deviceHash,
    },
  });
  await db.consentRecord.create({
    data: { id: uuidv7(), workspaceId: w.workspaceId, profileId: person, deviceHash, choice: "granted" },
  });
  await db.outbox.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      profileId: person,
      destination: "google-ads",
      payload: { email },
    },
  });

  const needles = [
    email,
    phone,
    "805) 555-0150",
    "d_erase_1",
    "d_erase_2",
    "cus_erase",
    "secret piano question",
    hashIdentifier(w.ws.hashSalt, "email", email),
    hashIdentifier(w.ws.hashSalt, "phone", phone),
    hashIdentifier(w.ws.hashSalt, "account", "cus_erase"),
    deviceHash,
    hashIdentifier(w.ws.hashSalt, "device", "d_erase_2"),
  ];
  expect((await tablesHolding(needles)).length).toBeGreaterThan(5);

  const res = await call(profileDelete, "/x", { method: "DELETE", key: w.apiKey, params: { id: person } });
  expect(res.json).toEqual({ erased: true });

  // P11: no table at all holds the values or their hashes. ErasureLog keeps one-way digests of the hashes so a
  // restored backup can erase the person again (P16).
  expect(await tablesHolding(needles)).toEqual([]);
  const log = await db.erasureLog.findFirstOrThrow({ where: { workspaceId: w.workspaceId } });
  expect(log.hashes).toContain(erasureDigest(`email:${hashIdentifier(w.ws.hashSalt, "email", email)}`));
  expect(JSON.stringify(log)).not.toContain(email);

  // The other person is untouched, minus the erased email's hash on their event.
  const live = await liveProfiles(db, w.workspaceId);
  expect(live.map((p) => p.id)).toEqual([other?.profileId]);
  expect(await db.event.count({ where: { profileId: other!.profileId! } })).toBe(2);
  expect(await db.message.count({ where: { profileId: other!.profileId! } })).toBe(1);
  expect(await db.trackedLink.findUniqueOrThrow({ where: { id: link.id } })).toMatchObject({ profileId: null });
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("R17: a device another person also used stays theirs when one of them is erased", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([
    ev("s1", "web", "identify", at(0), { deviceId: "d_shared_x", email: "one@example.com" }),
  ]);
  const [b] = await w.ingest([
    ev("s2", "web", "identify", at(1), { deviceId: "d_shared_x", email: "two@example.com" }),
  ]);
  await w.ingest([ev("s3", "web", "identify", at(2), { deviceId: "d_shared_x", email: "one@example.com" })]);
  expect(await profileIdOf(db, w.ws, "device", "d_shared_x")).toBe(a?.profileId);
  await eraseProfile(db, w.workspaceId, a!.profileId!);
  expect(await profileIdOf(db, w.ws, "device", "d_shared_x")).toBe(b?.profileId);
  const [page] = await w.ingest([ev("s4", "web", "page_view", at(3), { deviceId: "d_shared_x" })]);
  expect(page?.profileId).toBe(b?.profileId);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});
