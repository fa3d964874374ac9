import { expect, test } from "vitest";
import { POST as collect } from "../../app/api/collect/route.ts";
import { POST as merge } from "../../app/api/v1/profiles/[id]/merge/route.ts";
import { DELETE as erase } from "../../app/api/v1/profiles/[id]/route.ts";
import { hashIdentifier } from "../../lib/crypto/keys.ts";
import { consentRecordId } from "../../lib/privacy/consent-records.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

type Ws = Awaited<ReturnType<typeof testWorkspace>>;
type TrackerEvent = { id: string; type: string; ts?: number; url?: string; referrer?: string; props?: object };

const T0 = Date.parse("2026-11-20T10:00:00Z");
const page = (id: string, ts: number, url = "https://acme.test/pricing/") => ({ id, type: "page_view", ts, url });
const consent = (id: string, ts: number, choice: string, extra: object = {}) => ({
  id,
  type: "consent",
  ts,
  url: "https://acme.test/",
  props: { choice, bannerVersion: "v1", gpc: false, ...extra },
});

function send(w: Ws, deviceId: string, events: TrackerEvent[], headers: Record<string, string> = {}) {
  return call(collect, "/api/collect", {
    raw: JSON.stringify({ site: w.siteKey, deviceId, events }),
    headers: { "content-type": "text/plain;charset=UTF-8", ...headers },
  });
}

const deviceHash = (w: Ws, deviceId: string) => hashIdentifier(w.ws.hashSalt, "device", deviceId);
/** The record of a consent event, by the event's id. */
const recordOf = (w: Ws, clientId: string) =>
  db.consentRecord.findUnique({ where: { id: consentRecordId(w.workspaceId, clientId) } });
const eventCount = (w: Ws) => db.event.count({ where: { workspaceId: w.workspaceId } });

test("every consent event is recorded once, with device, profile, banner version, GPC and the edge's country", async () => {
  const w = await testWorkspace(db);
  const batch = [page("p1", T0), consent("c1", T0 + 500, "granted")];
  const res = await send(w, "d_rec", batch, { "x-vercel-ip-country": "de", "sec-gpc": "1" });
  expect(res.json).toEqual({ accepted: 2, duplicates: 0 });
  // The tracker retries a failed batch with the same ids; Cloudflare's header is read too.
  const again = await send(w, "d_rec", batch, { "cf-ipcountry": "FR" });
  expect(again.json).toEqual({ accepted: 0, duplicates: 2 });

  const records = await db.consentRecord.findMany({ where: { workspaceId: w.workspaceId } });
  const profileId = await profileIdOf(db, w.ws, "device", "d_rec");
  expect(records).toEqual([
    expect.objectContaining({
      profileId,
      deviceHash: deviceHash(w, "d_rec"),
      choice: "granted",
      bannerVersion: "v1",
      country: "DE",
      gpc: true,
      id: consentRecordId(w.workspaceId, "c1"),
      createdAt: new Date(T0 + 500),
    }),
  ]);

  await send(w, "d_rec2", [consent("c2", T0, "granted", { bannerVersion: "site", gpc: true })], {
    "cf-ipcountry": "FR",
  });
  await send(w, "d_rec3", [consent("c3", T0, "granted")]);
  expect(await recordOf(w, "c2")).toMatchObject({ country: "FR", bannerVersion: "site", gpc: true });
  expect(await recordOf(w, "c3")).toMatchObject({ country: null, gpc: false });
  expect(await db.consentRecord.count({ where: { workspaceId: w.workspaceId } })).toBe(3);
});

test("P4: after a withdrawal the device's later events are refused; its history stays; a later grant lifts it", async () => {
  const w = await testWorkspace(db);
  await send(w, "d_wd", [page("w1", T0), consent("w2", T0 + 1000, "granted")]);
  const profileId = await profileIdOf(db, w.ws, "device", "d_wd");
  // onethread.consent("denied"): the consent event goes out with what was queued.
  const denied = await send(w, "d_wd", [page("w3", T0 + 2000), consent("w4", T0 + 3000, "denied")]);
  expect(denied.json).toEqual({ accepted: 2, duplicates: 0 });
  expect(await eventCount(w)).toBe(4);
  expect(await db.suppression.findMany({ where: { workspaceId: w.workspaceId } })).toEqual([
    expect.objectContaining({ type: "device", hash: deviceHash(w, "d_wd"), scope: "all", reason: "consent_withdrawn" }),
  ]);

  // A misbehaving tracker keeps sending, one second later: nothing is stored.
  await new Promise((r) => setTimeout(r, 1000));
  const later = await send(w, "d_wd", [page("w5", Date.now()), { id: "w6", type: "signup_started", ts: Date.now() }]);
  expect(later.status).toBe(202);
  expect(await eventCount(w)).toBe(4);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: { in: ["w5", "w6"] } } })).toBe(0);
  // Withdrawal is not erasure: the person and their four events stay.
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, profileId } })).toBe(4);

  // A grant that was overtaken by the refusal (its request arrived late) lifts nothing.
  await send(w, "d_wd", [consent("w7", T0 + 2500, "granted")]);
  expect(await db.suppression.count({ where: { workspaceId: w.workspaceId } })).toBe(1);

  // The person accepts again on the same device: the grant and what comes with it are stored again.
  const regrant = await send(w, "d_wd", [page("w8", Date.now()), consent("w9", Date.now(), "granted")]);
  expect(regrant.json).toEqual({ accepted: 2, duplicates: 0 });
  expect(await db.suppression.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.event.count({ where: { workspaceId: w.workspaceId, clientId: { in: ["w8", "w9"] } } })).toBe(2);
  const choices = await db.consentRecord.findMany({
    where: { workspaceId: w.workspaceId },
    orderBy: { createdAt: "asc" },
  });
  const ids = ["w2", "w7", "w4", "w9"].map((id) => consentRecordId(w.workspaceId, id));
  expect(choices.map((c) => [c.id, c.choice])).toEqual([
    [ids[0], "granted"],
    [ids[1], "granted"],
    [ids[2], "denied"],
    [ids[3], "granted"],
  ]);
});

test("a withdrawal lifts only its own suppression: an opt-out of another kind stays", async () => {
  const w = await testWorkspace(db);
  await send(w, "d_other", [page("o1", T0)]);
  await db.suppression.create({
    data: { workspaceId: w.workspaceId, type: "device", hash: deviceHash(w, "d_other"), reason: "opt_out" },
  });
  await send(w, "d_other", [consent("o2", T0 + 1000, "granted"), page("o3", T0 + 2000)]);
  expect(await db.suppression.count({ where: { workspaceId: w.workspaceId } })).toBe(1);
  expect(await eventCount(w)).toBe(1);
  // The choice is still recorded (P3), with no profile: its event was not stored.
  expect(await recordOf(w, "o2")).toMatchObject({
    profileId: null,
    choice: "granted",
  });
});

test("P5: Sec-GPC: 1 or props.gpc marks the person once; a plain request does not", async () => {
  const w = await testWorkspace(db);
  await send(w, "d_plain", [page("g0", T0)], { "sec-gpc": "0" });
  await send(w, "d_header", [page("g1", T0)], { "sec-gpc": "1" });
  await send(w, "d_prop", [{ ...page("g2", T0), props: { gpc: true } }]);
  const gpcOf = async (device: string) =>
    (await db.profile.findUniqueOrThrow({ where: { id: (await profileIdOf(db, w.ws, "device", device))! } })).gpcAt;
  expect(await gpcOf("d_plain")).toBeNull();
  const first = await gpcOf("d_header");
  expect(first).toBeInstanceOf(Date);
  expect(await gpcOf("d_prop")).toBeInstanceOf(Date);
  await send(w, "d_header", [page("g3", T0 + 1000)], { "sec-gpc": "1" });
  expect(await gpcOf("d_header")).toEqual(first);
});

test("a merge keeps the earliest GPC mark on the survivor, automatic (shared email) or deliberate", async () => {
  const w = await testWorkspace(db);
  // Two devices of one person; the GPC one is the younger profile, so it is merged away.
  await send(w, "d_old", [page("m1", T0)]);
  await send(w, "d_gpc", [page("m2", T0 + 1000)], { "sec-gpc": "1" });
  const gpcProfile = (await profileIdOf(db, w.ws, "device", "d_gpc"))!;
  const gpcAt = (await db.profile.findUniqueOrThrow({ where: { id: gpcProfile } })).gpcAt;
  expect(gpcAt).toBeInstanceOf(Date);
  const form = (id: string, ts: number) => ({
    id,
    type: "form_submit",
    ts,
    props: { form: "q", email: "jo@acme.test" },
  });
  await send(w, "d_gpc", [form("m3", T0 + 2000)]);
  await send(w, "d_old", [form("m4", T0 + 3000)]);
  const survivor = (await profileIdOf(db, w.ws, "device", "d_old"))!;
  expect(await profileIdOf(db, w.ws, "device", "d_gpc")).toBe(survivor);
  expect(survivor).not.toBe(gpcProfile);
  expect((await db.profile.findUniqueOrThrow({ where: { id: survivor } })).gpcAt).toEqual(gpcAt);

  // Deliberate merge: the earlier of two marks wins.
  await send(w, "d_a", [page("m5", T0)], { "sec-gpc": "1" });
  await new Promise((r) => setTimeout(r, 20));
  await send(w, "d_b", [page("m6", T0)], { "sec-gpc": "1" });
  const a = (await profileIdOf(db, w.ws, "device", "d_a"))!;
  const b = (await profileIdOf(db, w.ws, "device", "d_b"))!;
  const aAt = (await db.profile.findUniqueOrThrow({ where: { id: a } })).gpcAt!;
  const res = await call(merge, `/api/v1/profiles/${b}/merge`, {
    key: w.apiKey,
    body: { otherProfileId: a },
    params: { id: b },
  });
  expect(res.status).toBe(200);
  const live = await profileIdOf(db, w.ws, "device", "d_b");
  expect((await db.profile.findUniqueOrThrow({ where: { id: live! } })).gpcAt).toEqual(aAt);
});

test("a crawler that runs the tracker anyway is not counted: 202, nothing stored", async () => {
  const w = await testWorkspace(db);
  const crawler = { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" };
  const res = await send(w, "d_bot", [page("b1", T0, "https://acme.test/")], crawler);
  expect(res.status).toBe(202);
  expect(res.json).toEqual({ accepted: 0, duplicates: 0 });
  expect(await eventCount(w)).toBe(0);
  expect(await db.identifier.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  const person = await send(w, "d_person", [page("b2", T0, "https://acme.test/")], {
    "user-agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
  });
  expect(person.json).toEqual({ accepted: 1, duplicates: 0 });
  expect(await eventCount(w)).toBe(1);
});

test("no raw IP address is stored anywhere (P6)", async () => {
  const w = await testWorkspace(db);
  const ip = "203.0.113.77";
  const headers = { "x-forwarded-for": `${ip}, 10.0.0.1`, "x-real-ip": ip, "x-vercel-ip-country": "DE" };
  await send(
    w,
    "d_ip",
    [page("i1", T0, "https://acme.test/?gclid=abc&utm_source=google"), consent("i2", T0, "denied")],
    headers,
  );
  expect(await db.consentRecord.count({ where: { workspaceId: w.workspaceId } })).toBe(1);
  const tables = await db.$queryRawUnsafe<{ t: string }[]>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  for (const { t } of tables) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${t}" x WHERE x::text LIKE '%' || $1 || '%'`,
      ip,
    );
    expect({ table: t, n: row?.n }).toEqual({ table: t, n: 0 });
  }
});

test("P11: erasing a person who withdrew leaves no consent record or withdrawal holding their device hash", async () => {
  const w = await testWorkspace(db);
  await send(w, "d_erase", [page("x1", T0), consent("x2", T0 + 1000, "granted")]);
  await send(w, "d_erase", [consent("x3", T0 + 2000, "denied")]);
  const hash = deviceHash(w, "d_erase");
  expect(await db.suppression.count({ where: { workspaceId: w.workspaceId, hash } })).toBe(1);
  const profileId = (await profileIdOf(db, w.ws, "device", "d_erase"))!;
  const res = await call(erase, `/api/v1/profiles/${profileId}`, {
    method: "DELETE",
    key: w.apiKey,
    params: { id: profileId },
  });
  expect(res.json).toEqual({ erased: true });
  expect(await db.suppression.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.consentRecord.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});
