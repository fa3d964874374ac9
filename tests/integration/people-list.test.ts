import { expect, test, vi } from "vitest";
import { GET as getPeople } from "../../app/api/app/[workspace]/people/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);
const ownerA: SessionUser = { id: a.ownerId, email: a.ownerEmail, name: null };

const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
await a.ingest([
  ev(
    "p1",
    "web",
    "form_submit",
    at(2),
    { deviceId: "d1", email: "Jo.Rivera@Example.com" },
    { properties: { form: "quote", name: "Jo Rivera" } },
  ),
  ev(
    "p1b",
    "channel",
    "message_in",
    at(9),
    { email: "jo.rivera@example.com", phone: "(805) 555-0100" },
    { channel: "whatsapp", properties: { body: "Hi" } },
  ),
  ev(
    "p1c",
    "webhook",
    "payment_succeeded",
    at(9, 11),
    { email: "jo.rivera@example.com", accountId: "cus_jo" },
    { properties: { amount: 5000, currency: "usd" } },
  ),
  // Two more people whose masked emails would look alike ("jo•••@example.com").
  ev(
    "p2",
    "web",
    "form_submit",
    at(3),
    { deviceId: "d2", email: "jo.smith@example.com" },
    { properties: { firstName: "José", lastName: "Núñez" } },
  ),
  ev(
    "p3",
    "web",
    "form_submit",
    at(4),
    { deviceId: "d3", email: "joanna@example.com" },
    { properties: { full_name: "Joanna Rivers" } },
  ),
  ev(
    "p4",
    "agent",
    "agent_action",
    at(5),
    { phone: "+1 805 555 0144" },
    { properties: { agent: "qualify", action: "x", name: "Kim Lee" } },
  ),
  ev(
    "p5",
    "web",
    "page_view",
    at(6),
    { deviceId: "d5" },
    { properties: { url: "https://x.test/?utm_source=google&utm_medium=cpc" } },
  ),
  ev("p6", "web", "page_view", at(7), { deviceId: "d6" }, { properties: { url: "https://x.test/" } }),
  // A later form must not rename Jo.
  ev("p1d", "web", "form_submit", at(9, 12), { deviceId: "d1" }, { properties: { name: "Somebody Else" } }),
]);
await b.ingest([
  ev(
    "b1",
    "web",
    "form_submit",
    at(2),
    { deviceId: "bd1", email: "jo.rivera@example.com" },
    { properties: { name: "Jo Rivera" } },
  ),
]);
const idOf = async (type: "email" | "phone" | "device", v: string) => (await profileIdOf(db, a.ws, type, v))!;
const jo = await idOf("email", "jo.rivera@example.com");
const jose = await idOf("email", "jo.smith@example.com");
const joanna = await idOf("email", "joanna@example.com");
const kim = await idOf("phone", "+18055550144");
const d5 = await idOf("device", "d5");
const d6 = await idOf("device", "d6");

const get = (qs = "", slug = a.slug) =>
  call(getPeople, `/api/app/${slug}/people${qs}`, { params: { workspace: slug } });
const ids = async (qs: string) => {
  const res = await get(qs);
  expect(res.status, qs).toBe(200);
  return res.json.people.map((p: { id: string }) => p.id) as string[];
};

test("owners see who their customers are: names and full contacts, distinct rows, where they came from", async () => {
  session.user = ownerA;
  const res = await get();
  expect(res.json.total).toBe(6);
  expect(res.json.people.map((p: { id: string }) => p.id)).toEqual([jo, d6, d5, kim, joanna, jose]);
  const row = res.json.people[0];
  expect(row).toMatchObject({
    name: "Jo Rivera",
    email: "jo.rivera@example.com",
    phone: "+18055550100",
    rung: 4,
    customerNumber: 1,
    cameFrom: "(direct)",
  });
  expect(res.json.people.find((p: { id: string }) => p.id === jose).name).toBe("José Núñez");
  expect(res.json.people.find((p: { id: string }) => p.id === d5).cameFrom).toBe("google / cpc");
});

test("names are sealed at rest and out of the stored properties; a merge keeps the survivor's or takes the other's", async () => {
  const p = await db.profile.findUniqueOrThrow({ where: { id: jo } });
  expect(p.nameEnc).toMatch(/^v1\./);
  expect(p.nameTokens.length).toBeGreaterThan(4);
  expect(JSON.stringify(p)).not.toContain("Rivera");
  const e = await db.event.findFirstOrThrow({ where: { workspaceId: a.workspaceId, clientId: "p1" } });
  expect(JSON.stringify(e.properties)).not.toContain("Rivera");
  expect(e.properties).toHaveProperty("contentEnc");

  const w = await testWorkspace(db);
  await w.ingest([
    ev(
      "n1",
      "web",
      "form_submit",
      at(2),
      { deviceId: "x1", email: "named@x.test" },
      { properties: { name: "Named Person" } },
    ),
    ev(
      "n2",
      "channel",
      "message_in",
      at(3),
      { phone: "+1 805 555 0155" },
      { channel: "sms", properties: { body: "hi" } },
    ),
  ]);
  const named = (await profileIdOf(db, w.ws, "email", "named@x.test"))!;
  const phone = (await profileIdOf(db, w.ws, "phone", "+18055550155"))!;
  await mergeProfiles(db, w.workspaceId, phone, named);
  session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  const res = await call(getPeople, `/api/app/${w.slug}/people?q=named`, { params: { workspace: w.slug } });
  expect(res.json.people).toHaveLength(1);
  expect(res.json.people[0]).toMatchObject({ name: "Named Person", email: "named@x.test", phone: "+18055550155" });
});

test("search by name (word prefixes, accents folded), email, phone in any spelling, account id and customer number", async () => {
  session.user = ownerA;
  expect(await ids("?q=jo")).toEqual([jo, joanna, jose]);
  expect(await ids("?q=jo%20riv")).toEqual([jo, joanna]);
  expect(await ids("?q=rivera")).toEqual([jo]);
  expect(await ids("?q=JOSE%20nun")).toEqual([jose]);
  expect(await ids("?q=n%C3%BA%C3%B1ez")).toEqual([jose]);
  expect(await ids("?q=ivera")).toEqual([]); // a name matches from the start of a word
  expect(await ids("?q=Jo.Rivera%40example.com")).toEqual([jo]);
  expect(await ids("?q=jo.rivera%40example")).toEqual([]); // emails match in full
  expect(await ids("?q=805-555-0100")).toEqual([jo]);
  expect(await ids("?q=%2B1%20(805)%20555%200144")).toEqual([kim]);
  expect(await ids("?q=cus_jo")).toEqual([jo]);
  expect(await ids("?q=%231")).toEqual([jo]);
  expect(await ids("?q=somebody")).toEqual([]);
  expect(await ids("?q=j")).toEqual([]);
  // Another workspace's Jo Rivera is never found here.
  expect(await ids("?q=jo%20rivera")).toEqual([jo]);
});

test("sorts, rung filter, totals and keyset pages both ways", async () => {
  session.user = ownerA;
  const byNew = await ids("?sort=new");
  expect(byNew[0]).toBe(d6);
  expect(byNew.at(-1)).toBe(jo);
  expect(await ids("?sort=rung")).toEqual([jo, kim, joanna, jose, d6, d5]);
  expect(await ids("?rung=2")).toEqual([joanna, jose]);
  expect((await get("?rung=2")).json.total).toBe(2);
  expect(await ids("?rung=4&q=jo")).toEqual([jo]);

  for (const sort of ["active", "new", "rung"]) {
    const all = await ids(`?sort=${sort}`);
    const forward: string[] = [];
    const pages: { prev: string | null; next: string | null; people: { id: string }[] }[] = [];
    let after: string | null = null;
    do {
      const res = await get(`?sort=${sort}&limit=2${after ? `&after=${after}` : ""}`);
      expect(res.json.total).toBe(6);
      forward.push(...res.json.people.map((p: { id: string }) => p.id));
      pages.push(res.json);
      after = res.json.next;
    } while (after);
    expect(forward, sort).toEqual(all);
    expect(pages[0]!.prev).toBeNull();
    // Back from the last page: the same pages in reverse, the first one knows it is first.
    let before = pages.at(-1)!.prev;
    const backward: string[][] = [];
    while (before) {
      const res = await get(`?sort=${sort}&limit=2&before=${before}`);
      backward.unshift(res.json.people.map((p: { id: string }) => p.id));
      before = res.json.prev;
    }
    expect(backward.flat(), sort).toEqual(all.slice(0, all.length - pages.at(-1)!.people.length));
  }
});

test("bad input is a 400 naming the field; another workspace is a 404; a stranger 401", async () => {
  session.user = ownerA;
  for (const qs of [
    "?rung=9",
    "?rung=x",
    "?sort=name",
    "?limit=0",
    "?limit=500",
    "?touch=middle&source=google",
    `?q=${"x".repeat(201)}`,
  ]) {
    const res = await get(qs);
    expect(res.status, qs).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
  }
  expect(await ids("?after=junk")).toEqual(await ids(""));
  const other = await get("", b.slug);
  expect(other.status).toBe(404);
  session.user = null;
  expect((await get()).status).toBe(401);
});
