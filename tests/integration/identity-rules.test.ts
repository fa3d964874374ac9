import { expect, test } from "vitest";
import { decrypt, hashIdentifier } from "../../lib/crypto/keys.ts";
import { uuidv7 } from "../../lib/db/uuidv7.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { resolveProfileId } from "../../lib/identity/resolve-profile-id.ts";
import { liveProfiles, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

const T0 = Date.parse("2026-11-02T10:00:00Z");
/** A time `minutes` after the start of a test's story. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const page = (id: string, minutes: number, deviceId: string, url = "https://acme.test/") =>
  ev(id, "web", "page_view", at(minutes), { deviceId }, { properties: { url } });

const identifiersOf = (profileId: string) =>
  db.identifier.findMany({ where: { profileId }, select: { type: true, shared: true, valueEnc: true } });

// ───────────────────────── Identifiers ─────────────────────────

test("R1: spellings of one email or one phone are one identifier", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([
    ev("a1", "agent", "agent_action", at(0), { email: " Jo@Example.COM" }),
    ev("a2", "email", "email_opened", at(1), { email: "jo@example.com" }),
    ev("p1", "channel", "message_in", at(2), { phone: "(805) 555-0100" }, { channel: "sms" }),
    ev("p2", "channel", "message_in", at(3), { phone: "805-555-0100" }, { channel: "sms" }),
    ev("p3", "channel", "message_in", at(4), { phone: "+1 805 555 0100" }, { channel: "sms" }),
    ev("p4", "channel", "message_in", at(5), { phone: "whatsapp:+18055550100" }, { channel: "whatsapp" }),
  ]);
  expect(r[0]?.profileId).toBe(r[1]?.profileId);
  expect(new Set(r.slice(2).map((x) => x.profileId)).size).toBe(1);
  expect(await db.identifier.count({ where: { workspaceId: w.workspaceId } })).toBe(2);
});

test("R1: a value that fails normalisation is kept as an event property, not as an identifier", async () => {
  const w = await testWorkspace(db);
  const [r] = await w.ingest([ev("x", "web", "form_submit", at(0), { deviceId: "d_r1", email: "jo-at-example" })]);
  const stored = await db.event.findFirstOrThrow({ where: { workspaceId: w.workspaceId, clientId: "x" } });
  expect(stored.properties).toMatchObject({ unmatched_identity: { email: "jo-at-example" } });
  expect(await identifiersOf(r!.profileId!)).toEqual([expect.objectContaining({ type: "device" })]);
  expect(r?.rung).toBe(0);
});

test("R2: blocked values never identify anyone, but the event is still stored", async () => {
  const w = await testWorkspace(db, { blockedValues: ["house@acme.test"] });
  const r = await w.ingest([
    ev("b1", "webhook", "account_created", at(0), { email: "null", accountId: "0" }),
    ev("b2", "agent", "agent_action", at(1), { email: '"undefined"', phone: "000-000-0000" }),
    ev("b3", "agent", "agent_action", at(2), { email: "noreply@acme.test", accountId: "[object Object]" }),
    ev("b4", "agent", "agent_action", at(3), { email: "HOUSE@acme.test" }),
  ]);
  expect(r.map((x) => x.profileId)).toEqual([null, null, null, null]);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId } })).toBe(4);
  expect(await db.identifier.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.profile.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("R3: identifiers are stored as keyed hashes; the readable value only encrypted", async () => {
  const w = await testWorkspace(db);
  const [r] = await w.ingest([
    ev("h1", "agent", "agent_action", at(0), { email: "Ana.Keyed@Example.com", phone: "805 555 0123" }),
  ]);
  const ids = await db.identifier.findMany({ where: { profileId: r!.profileId! } });
  const email = ids.find((i) => i.type === "email")!;
  expect(email.hash).toBe(hashIdentifier(w.ws.hashSalt, "email", "ana.keyed@example.com"));
  expect(email.hash).not.toBe(hashIdentifier("another-salt", "email", "ana.keyed@example.com"));
  expect(decrypt(email.valueEnc!)).toBe("ana.keyed@example.com");
  expect(email.masked).toBe("an•••@example.com");
  const profile = await db.profile.findUniqueOrThrow({ where: { id: r!.profileId! } });
  expect(decrypt(profile.emailEnc!)).toBe("ana.keyed@example.com");
  expect(decrypt(profile.phoneEnc!)).toBe("+18055550123");
  const plain = JSON.stringify([ids, profile]);
  expect(plain).not.toContain("ana.keyed@example.com");
  expect(plain).not.toContain("8055550123");
});

// ───────────────────────── Resolution ─────────────────────────

test("R4: no match creates a profile holding every identifier; one match attaches the new ones", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([ev("r4a", "web", "form_submit", at(0), { deviceId: "d_r4", email: "r4@example.com" })]);
  expect((await identifiersOf(a!.profileId!)).map((i) => i.type).sort()).toEqual(["device", "email"]);
  const [b] = await w.ingest([
    ev(
      "r4b",
      "channel",
      "message_in",
      at(5),
      { email: "r4@example.com", phone: "+1 805 555 0144" },
      { channel: "sms" },
    ),
  ]);
  expect(b?.profileId).toBe(a?.profileId);
  expect((await identifiersOf(a!.profileId!)).map((i) => i.type).sort()).toEqual(["device", "email", "phone"]);
});

test("R4: an event matching several profiles merges them (R6)", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([
    ev("m1", "agent", "agent_action", at(0), { email: "merge.a@example.com" }),
    ev("m2", "channel", "message_in", at(1), { phone: "+1 805 555 0155" }, { channel: "sms" }),
    ev("m3", "webhook", "crm_updated", at(2), { email: "merge.a@example.com", phone: "+1 805 555 0155" }),
  ]);
  expect(new Set(r.map((x) => x.profileId)).size).toBe(1);
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(1);
  const merge = await db.profileMerge.findFirstOrThrow({ where: { workspaceId: w.workspaceId, kind: "auto" } });
  expect(merge.intoProfileId).toBe(r[0]?.profileId);
});

test("R5a: two profiles with different account ids never merge", async () => {
  const w = await testWorkspace(db);
  const [u1] = await w.ingest([
    ev("a1", "webhook", "account_created", at(0), { accountId: "u_one", email: "one@example.com" }),
  ]);
  const [u2] = await w.ingest([
    ev("a2", "webhook", "account_created", at(1), { accountId: "u_two", phone: "+1 805 555 0166" }),
  ]);
  const [x] = await w.ingest([
    ev("a3", "webhook", "crm_updated", at(2), { accountId: "u_two", email: "one@example.com" }),
  ]);
  expect(x?.profileId).toBe(u2?.profileId);
  expect(u1?.profileId).not.toBe(u2?.profileId);
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(2);
  expect(await profileIdOf(db, w.ws, "email", "one@example.com")).toBe(u1?.profileId);
  const refused = await db.profileMerge.findFirstOrThrow({ where: { workspaceId: w.workspaceId, kind: "refused" } });
  expect(refused).toMatchObject({
    fromProfileId: u1?.profileId,
    intoProfileId: u2?.profileId,
    reason: "different_accounts",
  });
});

test("R5b: a device alone never merges two people who hold strong identifiers; it becomes shared", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([
    ev("s1", "web", "identify", at(0), { deviceId: "d_family", email: "parent@example.com" }),
  ]);
  const [b] = await w.ingest([ev("s2", "agent", "agent_action", at(1), { email: "teen@example.com" })]);
  const [c] = await w.ingest([ev("s3", "web", "identify", at(2), { deviceId: "d_family", email: "teen@example.com" })]);
  expect(c?.profileId).toBe(b?.profileId);
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(2);
  const device = await db.identifier.findFirstOrThrow({ where: { workspaceId: w.workspaceId, type: "device" } });
  expect(device).toMatchObject({ shared: true, profileId: b?.profileId });
  expect(a?.profileId).not.toBe(b?.profileId);
  expect(await db.identityLink.count({ where: { workspaceId: w.workspaceId, action: "shared" } })).toBe(1);
});

test("R5b: a new email arriving with only a device joins the device's profile only if it holds no email yet", async () => {
  const w = await testWorkspace(db);
  const [p] = await w.ingest([page("v1", 0, "d_lead")]);
  const [first] = await w.ingest([
    ev("v2", "web", "form_submit", at(5), { deviceId: "d_lead", email: "lead@example.com" }),
  ]);
  expect(first?.profileId).toBe(p?.profileId);
  const [phone] = await w.ingest([
    ev("v3", "web", "form_submit", at(6), { deviceId: "d_lead", phone: "+1 805 555 0177" }),
  ]);
  expect(phone?.profileId).toBe(p?.profileId);
  const [other] = await w.ingest([
    ev("v4", "web", "form_submit", at(7), { deviceId: "d_lead", email: "colleague@example.com" }),
  ]);
  expect(other?.profileId).not.toBe(p?.profileId);
  expect(await profileIdOf(db, w.ws, "email", "lead@example.com")).toBe(p?.profileId);
  expect(await db.identifier.findFirst({ where: { workspaceId: w.workspaceId, type: "device" } })).toMatchObject({
    shared: true,
    profileId: other?.profileId,
  });
});

test("R5c: over a per-profile limit the identifier is not attached, the refusal is recorded, the rest proceeds", async () => {
  const w = await testWorkspace(db);
  const five = [1, 2, 3, 4, 5].map((n) =>
    ev(`e${n}`, "webhook", "crm_updated", at(n), { accountId: "cus_many", email: `addr${n}@example.com` }),
  );
  const r = await w.ingest(five);
  const id = r[0]!.profileId!;
  expect(new Set(r.map((x) => x.profileId))).toEqual(new Set([id]));
  expect((await identifiersOf(id)).filter((i) => i.type === "email")).toHaveLength(5);
  const [sixth] = await w.ingest([
    ev("e6", "webhook", "crm_updated", at(9), {
      accountId: "cus_many",
      email: "addr6@example.com",
      phone: "+1 805 555 0188",
    }),
  ]);
  expect(sixth?.profileId).toBe(id);
  const held = await identifiersOf(id);
  expect(held.filter((i) => i.type === "email")).toHaveLength(5);
  expect(held.filter((i) => i.type === "phone")).toHaveLength(1);
  expect(await profileIdOf(db, w.ws, "email", "addr6@example.com")).toBeNull();
  expect(await db.identityLink.findFirst({ where: { workspaceId: w.workspaceId, action: "refused" } })).toMatchObject({
    type: "email",
    reason: "email_limit",
    profileId: id,
  });
  // A second account id never joins a profile that holds one (limit 1): the event makes its own person.
  const [other] = await w.ingest([
    ev("e7", "webhook", "crm_updated", at(10), { accountId: "cus_other", email: "addr1@example.com" }),
  ]);
  expect(other?.profileId).not.toBe(id);
  expect(await profileIdOf(db, w.ws, "account", "cus_other")).toBe(other?.profileId);
});

test("R5d: a refused merge is recorded with its reason, and an owner can then merge by hand", async () => {
  const w = await testWorkspace(db);
  const [u1] = await w.ingest([
    ev("d1", "webhook", "account_created", at(0), { accountId: "acct_1", email: "dup@example.com" }),
  ]);
  const [u2] = await w.ingest([
    ev("d2", "webhook", "account_created", at(1), { accountId: "acct_2", email: "dup@example.com" }),
  ]);
  const refused = await db.profileMerge.findMany({ where: { workspaceId: w.workspaceId, kind: "refused" } });
  expect(refused).toEqual([
    expect.objectContaining({
      reason: "different_accounts",
      fromProfileId: u1?.profileId,
      intoProfileId: u2?.profileId,
    }),
  ]);
  const survivor = await mergeProfiles(db, w.workspaceId, u2!.profileId!, u1!.profileId!);
  expect(survivor).toBe(u1?.profileId); // the older one (R6)
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(1);
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId, kind: "manual" } })).toBe(1);
});

test("R6: the survivor is the profile holding a customer number, else the older; all rows move to it", async () => {
  const w = await testWorkspace(db);
  const [older] = await w.ingest([ev("o1", "agent", "agent_action", at(0), { email: "older@example.com" })]);
  const [customer] = await w.ingest([
    ev(
      "c1",
      "webhook",
      "payment_succeeded",
      at(10),
      { phone: "+1 805 555 0199" },
      { properties: { amount: 100, currency: "usd" } },
    ),
    ev(
      "c2",
      "channel",
      "message_in",
      at(11),
      { phone: "+1 805 555 0199" },
      { channel: "sms", properties: { body: "hello" } },
    ),
  ]);
  const [m] = await w.ingest([
    ev("x1", "webhook", "crm_updated", at(20), { email: "older@example.com", phone: "+1 805 555 0199" }),
  ]);
  expect(m?.profileId).toBe(customer?.profileId);
  const survivor = await db.profile.findUniqueOrThrow({ where: { id: customer!.profileId! } });
  expect(survivor).toMatchObject({ rung: 4, customerNumber: 1, eventCount: 4 });
  expect(await db.profile.findUniqueOrThrow({ where: { id: older!.profileId! } })).toMatchObject({
    mergedIntoId: survivor.id,
  });
  expect(await db.event.count({ where: { profileId: survivor.id } })).toBe(4);
  expect(await db.identifier.count({ where: { profileId: survivor.id } })).toBe(2);
  const merge = await db.profileMerge.findFirstOrThrow({ where: { workspaceId: w.workspaceId, kind: "auto" } });
  expect(merge).toMatchObject({ fromProfileId: older?.profileId, intoProfileId: survivor.id });
  expect(merge.identifiers).toEqual([
    { type: "email", hash: hashIdentifier(w.ws.hashSalt, "email", "older@example.com") },
  ]);

  const [plain1] = await w.ingest([ev("q1", "agent", "agent_action", at(30), { email: "q1@example.com" })]);
  const [plain2] = await w.ingest([ev("q2", "agent", "agent_action", at(31), { email: "q2@example.com" })]);
  expect(await mergeProfiles(db, w.workspaceId, plain2!.profileId!, plain1!.profileId!)).toBe(plain1?.profileId);
});

test("R6: a merged-away id answers the survivor, also through chains of merges", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([ev("c1", "agent", "agent_action", at(0), { email: "chain.a@example.com" })]);
  const [b] = await w.ingest([ev("c2", "agent", "agent_action", at(1), { email: "chain.b@example.com" })]);
  const [c] = await w.ingest([ev("c3", "agent", "agent_action", at(2), { email: "chain.c@example.com" })]);
  await mergeProfiles(db, w.workspaceId, b!.profileId!, c!.profileId!); // c → b
  await mergeProfiles(db, w.workspaceId, a!.profileId!, b!.profileId!); // b → a
  for (const r of [a, b, c]) expect(await resolveProfileId(db, w.workspaceId, r!.profileId!)).toBe(a?.profileId);
  expect(await resolveProfileId(db, w.workspaceId, uuidv7())).toBeNull();
  expect(await resolveProfileId(db, w.workspaceId, "not-a-uuid")).toBeNull();
});

test("R7: device-only events on a shared device go to the profile most recently identified on it", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([ev("i1", "web", "identify", at(0), { deviceId: "d_kiosk", email: "first@example.com" })]);
  const [b] = await w.ingest([
    ev("i2", "web", "identify", at(1), { deviceId: "d_kiosk", email: "second@example.com" }),
  ]);
  expect((await w.ingest([page("p1", 2, "d_kiosk")]))[0]?.profileId).toBe(b?.profileId);
  await w.ingest([ev("i3", "web", "identify", at(3), { deviceId: "d_kiosk", email: "first@example.com" })]);
  expect((await w.ingest([page("p2", 4, "d_kiosk")]))[0]?.profileId).toBe(a?.profileId);
});

test("R9: every event keeps the identifiers it arrived with, as hashes", async () => {
  const w = await testWorkspace(db);
  await w.ingest([
    ev("k1", "web", "form_submit", at(0), { deviceId: "d_keep", email: "keep@example.com", phone: "null" }),
  ]);
  const e = await db.event.findFirstOrThrow({ where: { workspaceId: w.workspaceId, clientId: "k1" } });
  expect(e.identityHashes.sort()).toEqual(
    [
      `email:${hashIdentifier(w.ws.hashSalt, "email", "keep@example.com")}`,
      `device:${hashIdentifier(w.ws.hashSalt, "device", "d_keep")}`,
    ].sort(),
  );
});

// ───────────────────────── The ladder ─────────────────────────

test("R10: rung 1 needs a second visit of the same device: a visit ends after 30 minutes without a web event", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([
    page("v1", 0, "d_visits"),
    page("v2", 29, "d_visits"),
    page("v3", 58, "d_visits"),
    page("v4", 89, "d_visits"),
  ]);
  expect(r.map((x) => x.rung)).toEqual([0, 0, 0, 1]);
  const p = await db.profile.findUniqueOrThrow({ where: { id: r[0]!.profileId! } });
  expect(p).toMatchObject({ visitCount: 2, rung: 1 });
});

test("R10: rungs 2, 3 and 4 come from an email, a phone, and an account or a payment; never down", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([
    page("l1", 0, "d_ladder"),
    ev("l2", "web", "form_submit", at(1), { deviceId: "d_ladder", email: "ladder@example.com" }),
    ev(
      "l3",
      "channel",
      "message_in",
      at(2),
      { email: "ladder@example.com", phone: "+1 805 555 0111" },
      { channel: "sms" },
    ),
    ev("l4", "webhook", "booking_created", at(3), { phone: "+1 805 555 0111" }),
    page("l5", 600, "d_ladder"),
  ]);
  expect(r.map((x) => x.rung)).toEqual([0, 2, 3, 4, 4]);
  const [acc] = await w.ingest([ev("l6", "webhook", "crm_updated", at(700), { accountId: "acct_only" })]);
  expect(acc?.rung).toBe(4);
  const rungs = await db.profileRung.findMany({ where: { profileId: r[0]!.profileId! }, orderBy: { rung: "asc" } });
  expect(rungs.map((x) => x.rung)).toEqual([0, 2, 3, 4]);
});

test("R11 (example 1): each event keeps the rung it was stored with; stitching later never rewrites it", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([
    page("x1", 0, "d_ex1"),
    page("x2", 5, "d_ex1", "https://acme.test/pricing/"),
    ev(
      "x3",
      "web",
      "form_submit",
      at(6),
      { deviceId: "d_ex1", email: "ex1@example.com" },
      { properties: { form: "quote" } },
    ),
  ]);
  expect(r.map((x) => x.rung)).toEqual([0, 0, 2]);
  expect(new Set(r.map((x) => x.profileId)).size).toBe(1);
  const stored = await db.event.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { occurredAt: "asc" } });
  expect(stored.map((e) => e.rung)).toEqual([0, 0, 2]);
});

test("R12: the first time at rung 4 gives the next customer number, from the workspace's first number", async () => {
  const w = await testWorkspace(db);
  await db.workspace.update({ where: { id: w.workspaceId }, data: { customerNumberNext: 1000 } });
  const [a] = await w.ingest([ev("n1", "webhook", "payment_succeeded", at(0), { email: "pay.a@example.com" })]);
  const [a2] = await w.ingest([ev("n2", "webhook", "payment_succeeded", at(1), { email: "pay.a@example.com" })]);
  const r = await w.ingest([
    ev("n3", "webhook", "checkout_completed", at(2), { email: "pay.b@example.com" }),
    ev("n4", "webhook", "account_created", at(3), { accountId: "acct_c" }),
  ]);
  const numbers = await db.profile.findMany({
    where: { workspaceId: w.workspaceId },
    orderBy: { customerNumber: "asc" },
  });
  expect(numbers.map((p) => p.customerNumber)).toEqual([1000, 1001, 1002]);
  expect(a2?.profileId).toBe(a?.profileId);
  expect(numbers.find((p) => p.id === r[1]?.profileId)?.customerNumber).toBe(1002);
  // Merging two customers keeps the survivor's number; the other is never handed out again.
  await mergeProfiles(db, w.workspaceId, r[0]!.profileId!, a!.profileId!);
  expect((await db.profile.findUniqueOrThrow({ where: { id: a!.profileId! } })).customerNumber).toBe(1000);
  const [d] = await w.ingest([ev("n5", "webhook", "payment_succeeded", at(4), { email: "pay.d@example.com" })]);
  expect((await db.profile.findUniqueOrThrow({ where: { id: d!.profileId! } })).customerNumber).toBe(1003);
  expect((await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId } })).customerNumberNext).toBe(1004);
});

test("R13: an email arriving with a device brings every earlier event of that device's anonymous profile along", async () => {
  const w = await testWorkspace(db);
  const [person] = await w.ingest([ev("r1", "agent", "agent_action", at(0), { email: "retro@example.com" })]);
  const anon = await w.ingest([page("r2", 10, "d_retro"), page("r3", 11, "d_retro")]);
  expect(anon[0]?.profileId).not.toBe(person?.profileId);
  const [id] = await w.ingest([
    ev("r4", "web", "identify", at(12), { deviceId: "d_retro", email: "retro@example.com" }),
  ]);
  expect(id?.profileId).toBe(person?.profileId);
  expect(await db.event.count({ where: { profileId: person!.profileId! } })).toBe(4);
  expect(await resolveProfileId(db, w.workspaceId, anon[0]!.profileId!)).toBe(person?.profileId);
  expect((await db.event.findMany({ where: { clientId: { in: ["r2", "r3"] } } })).map((e) => e.rung)).toEqual([0, 0]);
});

test("R14: a tracked link's click id on a second device joins that device to the person", async () => {
  const w = await testWorkspace(db);
  const [person] = await w.ingest([
    ev("t1", "agent", "agent_action", at(0), { email: "linked@example.com", phone: "+1 805 555 0122" }),
  ]);
  const link = await db.trackedLink.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      code: `c${Date.now()}`,
      url: "https://acme.test/book/",
      profileId: person!.profileId!,
    },
  });
  await db.linkClick.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      linkId: link.id,
      clickId: "otc_123",
      profileId: person!.profileId!,
    },
  });
  const [landing] = await w.ingest([
    ev(
      "t2",
      "web",
      "link_click",
      at(5),
      { deviceId: "d_phone_r14" },
      { properties: { url: "https://acme.test/book/?ot_c=otc_123" } },
    ),
  ]);
  expect(landing?.profileId).toBe(person?.profileId);
  expect(landing?.rung).toBe(3);
  const [later] = await w.ingest([page("t3", 60 * 24, "d_phone_r14")]);
  expect(later?.profileId).toBe(person?.profileId);
  // An identify on yet another device joins it too.
  const [third] = await w.ingest([
    ev("t4", "web", "identify", at(60 * 25), { deviceId: "d_tablet_r14", email: "LINKED@example.com" }),
  ]);
  expect(third?.profileId).toBe(person?.profileId);
  expect((await identifiersOf(person!.profileId!)).filter((i) => i.type === "device")).toHaveLength(2);
});

// ───────────────────────── Attribution ─────────────────────────

test("R15: the first touch is the earliest by event time, also after a merge and whatever the arrival order", async () => {
  const w = await testWorkspace(db);
  // Day 3: the person is first seen through an organic visit and identifies.
  await w.ingest([
    ev(
      "f1",
      "web",
      "page_view",
      at(3 * 1440),
      { deviceId: "d_day3" },
      {
        properties: {
          url: "https://acme.test/?utm_source=google&utm_medium=organic",
          referrer: "https://www.google.com/",
        },
      },
    ),
    ev("f2", "web", "identify", at(3 * 1440 + 1), { deviceId: "d_day3", email: "touch@example.com" }),
  ]);
  // Arriving later, but from day 1: an ad click on another device, which later identifies with the same email.
  await w.ingest([
    ev(
      "f3",
      "ads",
      "ad_click",
      at(1440),
      { deviceId: "d_day1" },
      { campaign: { utm_source: "facebook", utm_medium: "paid_social", fbclid: "FB1" } },
    ),
    ev(
      "f4",
      "web",
      "page_view",
      at(5 * 1440),
      { deviceId: "d_day1" },
      { properties: { url: "https://acme.test/pricing/", referrer: "https://acme.test/" } },
    ),
  ]);
  const [m] = await w.ingest([
    ev("f5", "web", "identify", at(6 * 1440), { deviceId: "d_day1", email: "touch@example.com" }),
  ]);
  const p = await db.profile.findUniqueOrThrow({ where: { id: m!.profileId! } });
  expect(p.firstTouch).toEqual({
    occurredAt: at(1440),
    source: "ads",
    utm_source: "facebook",
    utm_medium: "paid_social",
    fbclid: "FB1",
  });
  expect(p.lastTouch).toMatchObject({
    occurredAt: at(3 * 1440),
    utm_source: "google",
    utm_medium: "organic",
    referrer: "https://www.google.com/",
  });
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(1);
});

test("R15: an internal referrer is no touch; an external one is", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([
    ev(
      "g1",
      "web",
      "page_view",
      at(0),
      { deviceId: "d_ref" },
      { properties: { url: "https://www.acme.test/a", referrer: "https://acme.test/b" } },
    ),
    ev(
      "g2",
      "web",
      "page_view",
      at(1),
      { deviceId: "d_ref" },
      { properties: { url: "https://acme.test/a", referrer: "https://news.example/story?id=1" } },
    ),
  ]);
  const stored = await db.event.findMany({ where: { workspaceId: w.workspaceId }, orderBy: { occurredAt: "asc" } });
  expect(stored.map((e) => e.campaign)).toEqual([null, { referrer: "https://news.example/story" }]);
  const p = await db.profile.findUniqueOrThrow({ where: { id: r[0]!.profileId! } });
  expect(p.firstTouch).toMatchObject({ referrer: "https://news.example/story", source: "web" });
});

// ───────────────────────── Undo ─────────────────────────

test("R16 (example 9): merge then split back: events return where they came from, rungs and touches recomputed", async () => {
  const { splitProfile } = await import("../../lib/identity/split-profile.ts");
  const { identityContext } = await import("../../lib/ingest/load-workspace.ts");
  const w = await testWorkspace(db);
  const a = await w.ingest([
    ev(
      "s1",
      "web",
      "page_view",
      at(0),
      { deviceId: "d_a" },
      { properties: { url: "https://acme.test/?utm_source=newsletter" } },
    ),
    ev("s2", "web", "form_submit", at(1), { deviceId: "d_a", email: "split.a@example.com" }),
  ]);
  const b = await w.ingest([
    ev("s3", "ads", "ad_click", at(-600), { deviceId: "d_b" }, { campaign: { utm_source: "google", gclid: "G1" } }),
    ev(
      "s4",
      "webhook",
      "payment_succeeded",
      at(2),
      { phone: "+1 805 555 0133", deviceId: "d_b" },
      { properties: { amount: 900 } },
    ),
    ev(
      "s5",
      "channel",
      "message_in",
      at(3),
      { phone: "+1 805 555 0133" },
      { channel: "whatsapp", properties: { body: "Is it booked?" } },
    ),
  ]);
  const before = await db.event.findMany({
    where: { workspaceId: w.workspaceId },
    select: { clientId: true, profileId: true, rung: true },
  });
  const aId = a[0]!.profileId!;
  const bId = b[0]!.profileId!;
  const bBefore = await db.profile.findUniqueOrThrow({ where: { id: bId } });
  const survivor = await mergeProfiles(db, w.workspaceId, aId, bId);
  expect(survivor).toBe(bId); // the customer survives (R6)
  expect((await db.profile.findUniqueOrThrow({ where: { id: bId } })).firstTouch).toMatchObject({ gclid: "G1" });

  const newId = await splitProfile(db, w.ws, identityContext(w.ws), bId, [
    { type: "email", value: "Split.A@example.com" },
    { type: "device", value: "d_a" },
  ]);
  expect(newId).toBeTruthy();
  const after = await db.event.findMany({
    where: { workspaceId: w.workspaceId },
    select: { clientId: true, profileId: true, rung: true },
  });
  const where = (rows: typeof before) =>
    Object.fromEntries(rows.map((e) => [e.clientId, [e.profileId === bId ? "B" : "A", e.rung]]));
  expect(where(after)).toEqual(where(before));
  const split = await db.profile.findUniqueOrThrow({ where: { id: newId! } });
  expect(split).toMatchObject({ rung: 2, customerNumber: null, eventCount: 2 });
  expect(split.firstTouch).toMatchObject({ utm_source: "newsletter" });
  const kept = await db.profile.findUniqueOrThrow({ where: { id: bId } });
  expect(kept).toMatchObject({ rung: 4, customerNumber: bBefore.customerNumber, eventCount: 3 });
  expect(kept.firstTouch).toEqual(bBefore.firstTouch);
  expect(decrypt(split.emailEnc!)).toBe("split.a@example.com");
  expect(await db.message.count({ where: { profileId: bId } })).toBe(1);
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId, kind: "split" } })).toBe(1);
  expect(
    (await db.profileMerge.findFirstOrThrow({ where: { workspaceId: w.workspaceId, kind: "manual" } })).undoneAt,
  ).not.toBeNull();
});

test("R16: an identifier the profile does not hold cannot be split off", async () => {
  const { splitProfile } = await import("../../lib/identity/split-profile.ts");
  const { identityContext } = await import("../../lib/ingest/load-workspace.ts");
  const w = await testWorkspace(db);
  const [a] = await w.ingest([ev("z1", "agent", "agent_action", at(0), { email: "z@example.com" })]);
  await expect(
    splitProfile(db, w.ws, identityContext(w.ws), a!.profileId!, [{ type: "email", value: "other@example.com" }]),
  ).rejects.toMatchObject({ code: "invalid_request", details: [{ path: "identifiers[0]" }] });
  expect(
    await splitProfile(db, w.ws, identityContext(w.ws), uuidv7(), [{ type: "email", value: "z@example.com" }]),
  ).toBeNull();
});

test("R18: events carrying a suppressed identifier are dropped and answered without a profile", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([ev("o1", "agent", "agent_action", at(0), { email: "optout@example.com" })]);
  await db.suppression.create({
    data: {
      workspaceId: w.workspaceId,
      type: "email",
      hash: hashIdentifier(w.ws.hashSalt, "email", "optout@example.com"),
      reason: "test",
    },
  });
  const r = await w.ingest([
    ev("o2", "web", "identify", at(1), { deviceId: "d_opt", email: "OptOut@example.com" }),
    ev("o3", "agent", "agent_action", at(2), { email: "kept@example.com" }),
  ]);
  expect(r[0]).toEqual({ id: "o2", profileId: null, rung: null, duplicate: false });
  expect(r[1]?.profileId).toBeTruthy();
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: "o2" } })).toBe(0);
  expect(a?.profileId).toBeTruthy();
});

// ───────────────────────── The examples of IDENTITY.md, with other values ─────────────────────────

test("Example 2: a device seen again two days later is one anonymous profile at rung 1", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([page("e1", 0, "d_ex2"), page("e2", 2 * 1440, "d_ex2")]);
  expect(r.map((x) => x.rung)).toEqual([0, 1]);
  expect(r[0]?.profileId).toBe(r[1]?.profileId);
  expect(await identifiersOf(r[0]!.profileId!)).toHaveLength(1);
});

test("Example 3: an identify on a second device joins it to the person (email in another case)", async () => {
  const w = await testWorkspace(db);
  const [p] = await w.ingest([ev("e1", "web", "form_submit", at(0), { deviceId: "d1_ex3", email: "mia@example.com" })]);
  await w.ingest([page("e2", 100, "d2_ex3"), page("e3", 101, "d2_ex3")]);
  const [x] = await w.ingest([ev("e4", "web", "identify", at(102), { deviceId: "d2_ex3", email: "MIA@EXAMPLE.COM" })]);
  expect(x?.profileId).toBe(p?.profileId);
  expect((await identifiersOf(p!.profileId!)).filter((i) => i.type === "device")).toHaveLength(2);
  expect(await liveProfiles(db, w.workspaceId)).toHaveLength(1);
});

test("Example 4: two emails on one device are two people; a later page goes to the latest one", async () => {
  const w = await testWorkspace(db);
  const [a] = await w.ingest([ev("e1", "web", "identify", at(0), { deviceId: "d_ex4", email: "lee@example.com" })]);
  const [b] = await w.ingest([ev("e2", "web", "identify", at(1), { deviceId: "d_ex4", email: "sam@example.com" })]);
  expect(a?.profileId).not.toBe(b?.profileId);
  expect((await w.ingest([page("e3", 2, "d_ex4")]))[0]?.profileId).toBe(b?.profileId);
});

test("Example 5: {account u1, email a} exists; {account u2, email a} makes a new profile and records the refusal", async () => {
  const w = await testWorkspace(db);
  const [u1] = await w.ingest([
    ev("e1", "webhook", "account_created", at(0), { accountId: "user_1", email: "shared.inbox@example.com" }),
  ]);
  const [u2] = await w.ingest([
    ev("e2", "webhook", "account_created", at(1), { accountId: "user_2", email: "shared.inbox@example.com" }),
  ]);
  expect(u2?.profileId).not.toBe(u1?.profileId);
  expect(await profileIdOf(db, w.ws, "email", "shared.inbox@example.com")).toBe(u1?.profileId);
  expect(await profileIdOf(db, w.ws, "account", "user_2")).toBe(u2?.profileId);
  expect(await db.identityLink.findFirst({ where: { workspaceId: w.workspaceId, action: "refused" } })).toMatchObject({
    type: "email",
    reason: "different_accounts",
    profileId: u2?.profileId,
  });
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId, kind: "refused" } })).toBe(1);
});

test('Example 6: identify with email "null" or account "0" on many devices merges nobody', async () => {
  const w = await testWorkspace(db);
  const events = Array.from({ length: 6 }, (_, n) =>
    ev(`e${n}`, "web", "identify", at(n), {
      deviceId: `d_ex6_${n}`,
      ...(n % 2 ? { email: "NULL" } : { accountId: "0" }),
    }),
  );
  const r = await w.ingest(events);
  expect(new Set(r.map((x) => x.profileId)).size).toBe(6);
  expect(r.every((x) => x.rung === 0)).toBe(true);
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("Example 7: SMS, WhatsApp and a form with three spellings of one number are one phone", async () => {
  const w = await testWorkspace(db);
  const r = await w.ingest([
    ev(
      "e1",
      "channel",
      "message_in",
      at(0),
      { phone: "(415) 555-0142" },
      { channel: "sms", properties: { body: "hi" } },
    ),
    ev(
      "e2",
      "channel",
      "message_in",
      at(1),
      { phone: "whatsapp:+14155550142" },
      { channel: "whatsapp", properties: { body: "hey" } },
    ),
    ev("e3", "web", "form_submit", at(2), { deviceId: "d_ex7", phone: "415.555.0142" }),
  ]);
  expect(new Set(r.map((x) => x.profileId)).size).toBe(1);
  expect((await identifiersOf(r[0]!.profileId!)).filter((i) => i.type === "phone")).toHaveLength(1);
  expect(await db.conversation.count({ where: { profileId: r[0]!.profileId! } })).toBe(2);
});
