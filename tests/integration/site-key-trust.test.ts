import { expect, test } from "vitest";
import { POST as collect } from "../../app/api/collect/route.ts";
import { POST as events } from "../../app/api/v1/events/route.ts";
import { GET as exportGet } from "../../app/api/v1/profiles/[id]/export/route.ts";
import { call, liveProfiles, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();

type Ws = Awaited<ReturnType<typeof testWorkspace>>;
const T0 = Date.parse("2026-11-20T10:00:00Z");
const at = (minutes: number) => T0 + minutes * 60_000;
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

/** What any web page can send: the site key is public (docs/decisions/004-site-key-trust.md). */
function browser(w: Ws, deviceId: string, evs: object[]) {
  return call(collect, "/api/collect", {
    raw: JSON.stringify({ site: w.siteKey, deviceId, events: evs }),
    headers: { "content-type": "text/plain;charset=UTF-8" },
  });
}
const form = (id: string, minutes: number, props: Record<string, string>) => ({
  id,
  type: "form_submit",
  ts: at(minutes),
  url: "https://acme.test/contact/",
  props,
});
const page = (id: string, minutes: number) => ({ id, type: "page_view", ts: at(minutes), url: "https://acme.test/" });
const server = (w: Ws, batch: unknown[]) => call(events, "/api/v1/events", { key: w.apiKey, body: { events: batch } });

/** X known by email with a message of theirs, Y by phone with one of theirs: two identified customers. */
async function twoCustomers(w: Ws) {
  const res = await server(w, [
    ev(
      "x1",
      "channel",
      "message_in",
      iso(0),
      { email: "xavier@example.com" },
      { channel: "email", properties: { body: "X private note" } },
    ),
    ev(
      "y1",
      "channel",
      "message_in",
      iso(1),
      { phone: "+1 805 555 0177" },
      { channel: "sms", properties: { body: "Y private note" } },
    ),
  ]);
  expect(res.status).toBe(200);
  const [x, y] = res.json.results.map((r: { profileId: string }) => r.profileId);
  expect(x).not.toBe(y);
  return { x: x as string, y: y as string };
}

test("a site-key event carrying X's email and Y's phone never merges X and Y; the refusal is recorded; X's export holds nothing of Y", async () => {
  const w = await testWorkspace(db);
  const { x, y } = await twoCustomers(w);

  const res = await browser(w, "d_attacker", [form("f1", 5, { email: "Xavier@example.com", phone: "(805) 555-0177" })]);
  expect(res.status).toBe(202);

  expect((await liveProfiles(db, w.workspaceId)).map((p) => p.id).sort()).toEqual([x, y].sort());
  expect(await profileIdOf(db, w.ws, "email", "xavier@example.com")).toBe(x);
  expect(await profileIdOf(db, w.ws, "phone", "+18055550177")).toBe(y);
  // The event goes to the profile of its strongest identifier (email before phone), with the new device.
  const stored = await db.event.findUniqueOrThrow({
    where: { workspaceId_clientId: { workspaceId: w.workspaceId, clientId: "f1" } },
  });
  expect(stored.profileId).toBe(x);
  expect(await profileIdOf(db, w.ws, "device", "d_attacker")).toBe(x);
  // R5d: recorded like any refused merge, so the owner sees it and may merge by hand.
  expect(await db.profileMerge.findMany({ where: { workspaceId: w.workspaceId } })).toEqual([
    expect.objectContaining({ kind: "refused", reason: "untrusted_source", fromProfileId: y, intoProfileId: x }),
  ]);
  expect(
    await db.identityLink.findMany({
      where: { workspaceId: w.workspaceId, action: "refused" },
      select: { type: true, reason: true, profileId: true },
    }),
  ).toEqual([{ type: "phone", reason: "untrusted_source", profileId: x }]);

  const exported = await call(exportGet, "/x/export", { key: w.apiKey, params: { id: x } });
  expect(exported.status).toBe(200);
  const text = exported.text;
  expect(text).toContain("X private note");
  expect(text).not.toContain("Y private note");
  // Neither Y's phone (readable or masked) nor anything of type phone.
  for (const y of ["+18055550177", "555-0177", "555 0177", "•0177", '"phone"']) expect(text).not.toContain(y);
  expect(exported.json.events.map((e: { id: string }) => e.id)).toEqual(["x1", "f1"]);
  expect(exported.json.identifiers.map((i: { type: string }) => i.type).sort()).toEqual(["device", "email"]);
  const yExport = await call(exportGet, "/y/export", { key: w.apiKey, params: { id: y } });
  expect(yExport.json.events.map((e: { id: string }) => e.id)).toEqual(["y1"]);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("a site-key event may still join an anonymous device to a person and attach a new identifier (R13)", async () => {
  const w = await testWorkspace(db);
  const { x } = await twoCustomers(w);
  await browser(w, "d_visitor", [page("p1", 2), page("p2", 3)]);
  const anon = await profileIdOf(db, w.ws, "device", "d_visitor");
  expect(anon).not.toBe(x);

  await browser(w, "d_visitor", [form("f2", 4, { email: "xavier@example.com", phone: "+1 805 555 0199" })]);
  expect(await profileIdOf(db, w.ws, "device", "d_visitor")).toBe(x);
  expect(await profileIdOf(db, w.ws, "phone", "+18055550199")).toBe(x);
  const stitched = await db.event.findMany({
    where: { workspaceId: w.workspaceId, clientId: { in: ["p1", "p2", "f2"] } },
  });
  expect(stitched.map((e) => e.profileId)).toEqual([x, x, x]);
  expect(
    await db.profileMerge.findMany({
      where: { workspaceId: w.workspaceId },
      select: { kind: true, fromProfileId: true },
    }),
  ).toEqual([{ kind: "auto", fromProfileId: anon }]);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("a site-key event on a device X and Y already share merges nobody; device-only events still follow R7", async () => {
  const w = await testWorkspace(db);
  const { x, y } = await twoCustomers(w);
  // One browser used by both (R5b): X identifies, later Y; the device becomes shared and points at Y (R7).
  await browser(w, "d_family", [form("f3", 5, { email: "xavier@example.com" })]);
  await browser(w, "d_family", [form("f4", 6, { phone: "805.555.0177" })]);
  expect(await profileIdOf(db, w.ws, "device", "d_family")).toBe(y);

  await browser(w, "d_family", [form("f5", 7, { email: "xavier@example.com", phone: "805 555 0177" })]);
  expect((await liveProfiles(db, w.workspaceId)).map((p) => p.id).sort()).toEqual([x, y].sort());
  const f5 = await db.event.findUniqueOrThrow({
    where: { workspaceId_clientId: { workspaceId: w.workspaceId, clientId: "f5" } },
  });
  expect(f5.profileId).toBe(x);
  expect(
    await db.profileMerge.count({ where: { workspaceId: w.workspaceId, kind: "refused", reason: "untrusted_source" } }),
  ).toBe(1);
  // The device now points at X, the profile most recently identified on it.
  await browser(w, "d_family", [page("p3", 8)]);
  const p3 = await db.event.findUniqueOrThrow({
    where: { workspaceId_clientId: { workspaceId: w.workspaceId, clientId: "p3" } },
  });
  expect(p3.profileId).toBe(x);
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});

test("the same evidence from a server (secret key) merges X and Y as before, also when the server sends a web event", async () => {
  const w = await testWorkspace(db);
  const { x, y } = await twoCustomers(w);
  const res = await server(w, [
    ev("s1", "web", "form_submit", iso(5), {
      deviceId: "d_server",
      email: "xavier@example.com",
      phone: "+18055550177",
    }),
  ]);
  expect(res.status).toBe(200);
  const live = await liveProfiles(db, w.workspaceId);
  expect(live).toHaveLength(1);
  expect([x, y]).toContain(live[0]!.id);
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId, kind: "auto" } })).toBe(1);
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId, kind: "refused" } })).toBe(0);
});
