import { expect, test, vi } from "vitest";
import { POST as erase } from "../../app/api/app/[workspace]/people/[id]/erase/route.ts";
import { GET as exportRoute } from "../../app/api/app/[workspace]/people/[id]/export/route.ts";
import { GET as candidates, POST as merge } from "../../app/api/app/[workspace]/people/[id]/merge/route.ts";
import { GET as replay } from "../../app/api/app/[workspace]/people/[id]/replay/route.ts";
import { POST as split } from "../../app/api/app/[workspace]/people/[id]/split/route.ts";
import { GET as timeline } from "../../app/api/app/[workspace]/people/[id]/timeline/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import journey from "../../lib/demo/journey-12-days.json" with { type: "json" };
import { erasedAt } from "../../lib/people/erased-person.ts";
import { personOverview } from "../../lib/people/person-overview.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The owner app's routes read the next-auth session; here it is whoever the test says is logged in.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
await a.ingest(journey.events);
await a.ingest([
  ev("other1", "web", "form_submit", "2026-11-07T10:00:00Z", { deviceId: "d_tablet", email: "jo.r@work.test" }),
  ev("other2", "email", "email_opened", "2026-11-07T11:00:00Z", { email: "jo.r@work.test" }, { channel: "email" }),
]);
await b.ingest([ev("b1", "web", "form_submit", "2026-11-07T10:00:00Z", { deviceId: "d_b", email: "someone@b.test" })]);
const jo = (await profileIdOf(db, a.ws, "email", "jo.rivera@example.com")) as string;
const work = (await profileIdOf(db, a.ws, "email", "jo.r@work.test")) as string;
const bPerson = (await profileIdOf(db, b.ws, "email", "someone@b.test")) as string;
const ownerA: SessionUser = { id: a.ownerId, email: a.ownerEmail, name: null };
const memberA = await db.user.create({ data: { email: "member@a.test" }, select: { id: true, email: true } });
await db.membership.create({ data: { userId: memberA.id, workspaceId: a.workspaceId, role: "member" } });
session.user = ownerA;

const path = (slug: string, id: string, rest: string) => `/api/app/${slug}/people/${id}/${rest}`;
const on = (slug: string, id: string) => ({ params: { workspace: slug, id } });

test("the journey in plain words: full messages, details, rung changes, filters and keyset pages", async () => {
  const res = await call(timeline, path(a.slug, jo, "timeline"), on(a.slug, jo));
  expect(res.status).toBe(200);
  const events = res.json.events as { id: string; title: string; text: string | null; reached: number | null }[];
  expect(events.map((e) => e.id)).toEqual(journey.events.map((e) => e.id));
  const byId = new Map(events.map((e) => [e.id, e]));
  expect(byId.get("j5")?.title).toBe("Qualify agent qualified the lead");
  expect(byId.get("j12")?.title).toBe("Sent them the pre-job briefing email");
  // P13: the body is sealed at rest; the member reads it whole, not cut at 40 characters.
  expect(byId.get("j8")).toMatchObject({ title: "Messaged you on WhatsApp", text: journey.events[7]?.properties.body });
  expect(byId.get("j2")).toMatchObject({
    facts: expect.arrayContaining([
      { label: "Engaged", value: "2m 18s" },
      { label: "Scrolled", value: "100%" },
    ]),
  });
  expect(byId.get("j10")).toMatchObject({ title: "Paid a $50.00 deposit" });
  expect(events.filter((e) => e.reached !== null).map((e) => [e.id, e.reached])).toEqual([
    ["j1", 0],
    ["j3", 1],
    ["j4", 2],
    ["j7", 3],
    ["j10", 4],
  ]);
  expect(byId.get("j7")).toMatchObject({
    arrivedWith: expect.arrayContaining([
      { type: "email", value: "jo.rivera@example.com" },
      { type: "phone", value: "+18055550100" },
    ]),
  });

  const whatsapp = await call(timeline, `${path(a.slug, jo, "timeline")}?channel=whatsapp`, on(a.slug, jo));
  expect(whatsapp.json.events.map((e: { id: string }) => e.id)).toEqual(["j8", "j9"]);
  const web = await call(timeline, `${path(a.slug, jo, "timeline")}?source=web`, on(a.slug, jo));
  expect(web.json.events.map((e: { id: string }) => e.id)).toEqual(["j1", "j2", "j3", "j4", "j14"]);

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `?limit=5&cursor=${cursor}` : "?limit=5";
    const page = await call(timeline, `${path(a.slug, jo, "timeline")}${q}`, on(a.slug, jo));
    seen.push(...page.json.events.map((e: { id: string }) => e.id));
    cursor = page.json.nextCursor;
  } while (cursor);
  expect(seen).toEqual(journey.events.map((e) => e.id));

  for (const bad of ["?channel=fax", "?cursor=nope", "?limit=0", "?source=tv"]) {
    const res400 = await call(timeline, `${path(a.slug, jo, "timeline")}${bad}`, on(a.slug, jo));
    expect(res400.status, bad).toBe(400);
    expect(res400.json.error.code).toBe("invalid_request");
  }
});

test("replay: 14 steps from the Google search to the return visit, the deposit marked", async () => {
  const res = await call(replay, path(a.slug, jo, "replay"), on(a.slug, jo));
  expect(res.status).toBe(200);
  expect(res.json.frames).toHaveLength(14);
  expect(res.json.frames[0]).toMatchObject({
    offset: "T+0",
    when: "Day 1 · 11:42 PM",
    title: "Landed on / from a Google search",
  });
  expect(res.json.outcome).toMatchObject({ kind: "converted", frame: 9 });
  expect(res.json.rungs.map((r: { frame: number }) => r.frame)).toEqual([0, 2, 3, 6, 9]);
  const other = await call(replay, path(a.slug, work, "replay"), on(a.slug, work));
  expect(other.json.outcome).toMatchObject({ kind: "stopped", rung: 2 });
});

test("another workspace's person is a 404 on every owner route, and nothing changes there", async () => {
  const routes = [
    () => call(timeline, path(a.slug, bPerson, "timeline"), on(a.slug, bPerson)),
    () => call(replay, path(a.slug, bPerson, "replay"), on(a.slug, bPerson)),
    () => call(exportRoute, path(a.slug, bPerson, "export"), on(a.slug, bPerson)),
    () => call(candidates, `${path(a.slug, bPerson, "merge")}?q=someone`, on(a.slug, bPerson)),
    () => call(erase, path(a.slug, bPerson, "erase"), { ...on(a.slug, bPerson), body: { confirm: "erase" } }),
    () => call(merge, path(a.slug, bPerson, "merge"), { ...on(a.slug, bPerson), body: { otherProfileId: jo } }),
    () => call(merge, path(a.slug, jo, "merge"), { ...on(a.slug, jo), body: { otherProfileId: bPerson } }),
    () =>
      call(split, path(a.slug, bPerson, "split"), {
        ...on(a.slug, bPerson),
        body: { identifierIds: ["0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"] },
      }),
    // B's person through B's own slug: A's owner is no member there.
    () => call(timeline, path(b.slug, bPerson, "timeline"), on(b.slug, bPerson)),
    () => call(erase, path(b.slug, bPerson, "erase"), { ...on(b.slug, bPerson), body: { confirm: "erase" } }),
  ];
  for (const r of routes) {
    const res = await r();
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  }
  expect(await db.profile.count({ where: { workspaceId: b.workspaceId } })).toBe(1);
  expect(await db.profileMerge.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
  expect(await db.privacyRequest.count({ where: { workspaceId: b.workspaceId } })).toBe(0);
});

test("export: everything as JSON or CSV, logged as a privacy request via owner", async () => {
  const json = await call(exportRoute, `${path(a.slug, jo, "export")}?format=json`, on(a.slug, jo));
  expect(json.status).toBe(200);
  expect(json.headers.get("content-disposition")).toBe(`attachment; filename="person-${jo}.json"`);
  expect(json.json.events).toHaveLength(14);
  expect(json.json.identifiers.map((i: { value: string }) => i.value)).toContain("jo.rivera@example.com");
  const csv = await call(exportRoute, `${path(a.slug, jo, "export")}?format=csv`, on(a.slug, jo));
  expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(csv.text.split("\r\n")[0]).toBe("record,id,occurred_at,type,source,channel,direction,value,summary,data");
  expect(csv.text).toContain("Hi! Got your quote - is Saturday morning free?");
  const bad = await call(exportRoute, `${path(a.slug, jo, "export")}?format=xml`, on(a.slug, jo));
  expect(bad.status).toBe(400);
  const logged = await db.privacyRequest.findMany({ where: { workspaceId: a.workspaceId, profileId: jo } });
  expect(logged).toHaveLength(2);
  for (const r of logged) expect(r).toMatchObject({ kind: "export", via: "owner", status: "done" });
  expect(logged[0]?.dueAt.getTime()).toBeGreaterThan(logged[0]?.receivedAt.getTime() ?? 0);
});

test("split: bad picks are 400 with the field, a good one makes a new person, recorded with who did it", async () => {
  const held = await db.identifier.findMany({ where: { profileId: jo }, orderBy: { createdAt: "asc" } });
  const phone = held.find((i) => i.type === "phone");
  const otherId = (await db.identifier.findFirstOrThrow({ where: { profileId: work } })).id;
  const cases: [unknown, string][] = [
    [{ identifierIds: ["not-a-uuid"] }, "identifierIds[0]"],
    [{ identifierIds: [] }, "identifierIds"],
    [{}, "identifierIds"],
    [{ identifierIds: [otherId] }, "identifierIds[0]"],
    [{ identifierIds: held.map((i) => i.id) }, "identifierIds"],
  ];
  for (const [body, field] of cases) {
    const res = await call(split, path(a.slug, jo, "split"), { ...on(a.slug, jo), body });
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(res.json.error.details.map((d: { path: string }) => d.path)).toContain(field);
  }
  expect(await db.identifier.count({ where: { profileId: jo } })).toBe(held.length);

  const res = await call(split, path(a.slug, jo, "split"), { ...on(a.slug, jo), body: { identifierIds: [phone?.id] } });
  expect(res.status).toBe(200);
  const fresh = res.json.profileId as string;
  expect(await profileIdOf(db, a.ws, "phone", "+18055550100")).toBe(fresh);
  const record = await db.profileMerge.findFirstOrThrow({ where: { workspaceId: a.workspaceId, kind: "split" } });
  expect(record).toMatchObject({ fromProfileId: jo, intoProfileId: fresh, byUserId: a.ownerId });
  const overview = await personOverview(db, a.workspaceId, jo);
  expect(overview?.merges[0]).toMatchObject({
    kind: "split",
    otherId: fresh,
    by: a.ownerEmail,
    identifierTypes: ["phone"],
  });
  // Put them back together for the tests that follow: a merge by the owner.
  const back = await call(merge, path(a.slug, jo, "merge"), { ...on(a.slug, jo), body: { otherProfileId: fresh } });
  expect(back.status).toBe(200);
  expect(back.json.profileId).toBe(jo);
});

test("merge: find the other person by search, bad picks refused, the merge recorded with who did it", async () => {
  const found = await call(candidates, `${path(a.slug, jo, "merge")}?q=jo.r@work.test`, on(a.slug, jo));
  expect(found.status).toBe(200);
  expect(found.json.people).toMatchObject([{ id: work, email: "jo.r@work.test", name: "jo.r@work.test" }]);
  const self = await call(candidates, `${path(a.slug, jo, "merge")}?q=jo.rivera@example.com`, on(a.slug, jo));
  expect(self.json.people).toEqual([]);

  for (const body of [{ otherProfileId: jo }, {}, { otherProfileId: "" }]) {
    const res = await call(merge, path(a.slug, jo, "merge"), { ...on(a.slug, jo), body });
    expect(res.status, JSON.stringify(body)).toBe(400);
  }
  const missing = await call(merge, path(a.slug, jo, "merge"), {
    ...on(a.slug, jo),
    body: { otherProfileId: "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" },
  });
  expect(missing.status).toBe(404);

  const res = await call(merge, path(a.slug, work, "merge"), { ...on(a.slug, work), body: { otherProfileId: jo } });
  expect(res.status).toBe(200);
  // R6: the one with a customer number survives, whichever page the merge was started from.
  expect(res.json).toEqual({ profileId: jo, merged: [work] });
  expect(await profileIdOf(db, a.ws, "email", "jo.r@work.test")).toBe(jo);
  const record = await db.profileMerge.findFirstOrThrow({
    where: { workspaceId: a.workspaceId, kind: "manual", fromProfileId: work },
  });
  expect(record).toMatchObject({ intoProfileId: jo, byUserId: a.ownerId });
  const page = await call(timeline, path(a.slug, work, "timeline"), on(a.slug, work));
  expect(page.json.events).toHaveLength(16); // a merged-away id answers the survivor's journey
});

test("erase: owners only, a typed confirmation, then gone, logged and shown as erased", async () => {
  session.user = { ...memberA, name: null };
  const asMember = await call(erase, path(a.slug, jo, "erase"), { ...on(a.slug, jo), body: { confirm: "erase" } });
  expect(asMember.status).toBe(403);
  session.user = ownerA;
  for (const body of [{}, { confirm: "yes" }, { confirm: "ERASE " }]) {
    const res = await call(erase, path(a.slug, jo, "erase"), { ...on(a.slug, jo), body });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].path).toBe("confirm");
  }
  expect(await db.profile.count({ where: { id: jo } })).toBe(1);

  const res = await call(erase, path(a.slug, jo, "erase"), { ...on(a.slug, jo), body: { confirm: "erase" } });
  expect(res.status).toBe(200);
  expect(res.json.erased).toBe(true);
  expect(await db.profile.count({ where: { workspaceId: a.workspaceId, id: { in: [jo, work] } } })).toBe(0);
  expect(await db.event.count({ where: { workspaceId: a.workspaceId } })).toBe(0);
  expect(await db.privacyRequest.findMany({ where: { workspaceId: a.workspaceId, kind: "erasure" } })).toMatchObject([
    { via: "owner", status: "done", profileId: null },
  ]);
  expect(await erasedAt(db, a.workspaceId, jo)).toBeInstanceOf(Date);
  expect(await erasedAt(db, b.workspaceId, jo)).toBeNull();
  const again = await call(erase, path(a.slug, jo, "erase"), { ...on(a.slug, jo), body: { confirm: "erase" } });
  expect(again.status).toBe(404);
});
