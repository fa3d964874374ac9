import { expect, test, vi } from "vitest";
import { GET as ownerExport } from "../../app/api/app/[workspace]/export/route.ts";
import { GET as apiExport } from "../../app/api/v1/export/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { eventsSource } from "../../lib/privacy/export-events.ts";
import { exportStream } from "../../lib/privacy/export-workspace.ts";
import { createApiKey } from "../../lib/workspaces/api-keys.ts";
import { call, profileIdOf } from "../support/api.ts";
import { csvObjects } from "../support/csv.ts";
import { useTestDb } from "../support/db.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

// The workspace export (issue 12 item 5, decision 016): GET /api/v1/export and Settings → Data's button.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const { db } = await useTestDb();
const a = await testWorkspace(db, { timezone: "America/Los_Angeles" });
const b = await testWorkspace(db);

const TRICKY = 'Hi, is "Saturday" free?\nSecond line, with = and a comma';
const FORMULA = '=HYPERLINK("http://evil.test","click")';
await a.ingest([
  ev(
    "a1",
    "web",
    "page_view",
    "2026-10-31T20:00:00Z",
    { deviceId: "d_a1" },
    { properties: { url: "https://acme.test/pricing/?utm_source=google", title: "Pricing" } },
  ),
  ev("a2", "web", "form_submit", "2026-11-01T18:00:00Z", { deviceId: "d_a1", email: "Jo.Export@Example.com" }),
  ev(
    "a3",
    "channel",
    "message_in",
    "2026-11-02T09:00:00Z",
    { phone: "+1 805 555 0177", email: "jo.export@example.com" },
    { channel: "whatsapp", direction: "in", properties: { body: TRICKY } },
  ),
  ev(
    "a4",
    "channel",
    "message_out",
    "2026-11-03T09:00:00Z",
    { phone: "+1 805 555 0177" },
    { channel: "whatsapp", direction: "out", properties: { body: FORMULA } },
  ),
  ev(
    "a5",
    "webhook",
    "payment_succeeded",
    "2026-11-20T12:00:00Z",
    { email: "jo.export@example.com", accountId: "cus_export" },
    { properties: { amount: 5000, currency: "usd" } },
  ),
  ev("a6", "web", "page_view", "2026-11-21T12:00:00Z", { deviceId: "d_a_other" }),
]);
await b.ingest([
  ev("b1", "web", "form_submit", "2026-11-05T10:00:00Z", { deviceId: "d_b", email: "secret@b-only.test" }),
  ev(
    "b2",
    "channel",
    "message_in",
    "2026-11-05T11:00:00Z",
    { email: "secret@b-only.test" },
    { channel: "sms", properties: { body: "b's private words" } },
  ),
]);
const jo = (await profileIdOf(db, a.ws, "email", "jo.export@example.com")) as string;
const key = a.apiKey;

const exportOf = (query: string, k = key) => call(apiExport, `/api/v1/export?${query}`, { key: k });
const lines = (text: string) => text.split("\n").filter(Boolean);

test("events as NDJSON: every event oldest first, readable (message text back), with the headers of a download", async () => {
  const res = await exportOf("what=events&format=ndjson");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(
    new RegExp(`^attachment; filename="onethread-${a.slug}-events-\\d{4}-\\d{2}-\\d{2}\\.ndjson"$`),
  );
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("x-export-count")).toBe("6");
  const rows = lines(res.text).map((l) => JSON.parse(l));
  expect(rows.map((r) => r.id)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
  const msg = rows.find((r) => r.id === "a3");
  expect(msg).toMatchObject({ profileId: jo, source: "channel", type: "message_in", channel: "whatsapp", rung: 3 });
  expect(msg.properties.body).toBe(TRICKY);
  expect(msg.summary).toContain("WhatsApp message in");
  expect(rows.find((r) => r.id === "a5")).toMatchObject({ properties: { amount: 5000, currency: "usd" } });
  expect(rows[0].campaign).toMatchObject({ utm_source: "google" });
});

test("events as JSON and CSV hold the same rows; CSV is RFC 4180 and guards formulas", async () => {
  const json = await exportOf("what=events&format=json");
  expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(json.json).toMatchObject({ workspace: a.slug, what: "events", from: null, to: null, count: 6 });
  expect(json.json.events.map((e: { id: string }) => e.id)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);

  const csv = await exportOf("what=events&format=csv");
  expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(
    csv.text.startsWith(
      "id,profile_id,occurred_at,received_at,source,type,rung,channel,direction,summary,properties,campaign\r\n",
    ),
  ).toBe(true);
  const rows = csvObjects(csv.text);
  expect(rows.map((r) => r.id)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
  const props = (id: string) => JSON.parse(rows.find((r) => r.id === id)?.properties ?? "{}");
  // The body with quotes, commas and a line break comes back whole.
  expect(props("a3").body).toBe(TRICKY);
  expect(props("a4").body).toBe(FORMULA);
  // No cell starts with a formula character (the phone-like and formula texts are guarded).
  expect(csv.text).not.toMatch(/(^|,)"?[=@]/m);
});

test("profiles: each live person as the profile API shows them, readable identifiers, in CSV with formula guard", async () => {
  const res = await exportOf("what=profiles&format=ndjson");
  const rows = lines(res.text).map((l) => JSON.parse(l));
  expect(res.headers.get("x-export-count")).toBe(String(rows.length));
  const person = rows.find((r) => r.id === jo);
  expect(person).toMatchObject({ rung: 4, customerNumber: 1, optedOut: false });
  expect(person.identifiers).toEqual(
    expect.arrayContaining([
      { type: "email", value: "jo.export@example.com" },
      { type: "phone", value: "+18055550177" },
      { type: "account", value: "cus_export" },
    ]),
  );
  const csv = csvObjects((await exportOf("what=profiles&format=csv")).text);
  const row = csv.find((r) => r.id === jo);
  expect(row).toMatchObject({ emails: "jo.export@example.com", accounts: "cus_export", rung: "4", opted_out: "false" });
  // A phone starts with + and would be a formula in a spreadsheet: shown as text.
  expect(row?.phones).toBe("'+18055550177");
});

test("conversations: every turn with the full text, the thread's channel and the person", async () => {
  const res = await exportOf("what=conversations&format=ndjson");
  const rows = lines(res.text).map((l) => JSON.parse(l));
  expect(rows.map((r) => r.eventId)).toEqual(["a3", "a4"]);
  expect(rows[0]).toMatchObject({
    profileId: jo,
    channel: "whatsapp",
    via: "WhatsApp",
    kind: "message",
    direction: "in",
    text: TRICKY,
  });
  expect(rows[0].person).toBeTruthy();
  expect(rows[1]).toMatchObject({ direction: "out", text: FORMULA });
  const csv = csvObjects((await exportOf("what=conversations&format=csv")).text);
  expect(csv.map((r) => r.text)).toEqual([TRICKY, `'${FORMULA}`]);
  const json = await exportOf("what=conversations&format=json");
  expect(json.json.conversations).toHaveLength(2);
});

test("from and to: instants, epoch milliseconds, and dates as local days of the workspace (both included)", async () => {
  const ids = async (q: string) =>
    lines((await exportOf(`what=events&format=ndjson&${q}`)).text).map((l) => JSON.parse(l).id);
  // 2026-11-01 in Los Angeles is 07:00Z on the 1st to 07:00Z on the 2nd: a2 (18:00Z) is in, a3 (09:00Z on the 2nd) out.
  expect(await ids("from=2026-11-01&to=2026-11-01")).toEqual(["a2"]);
  // a1 at 20:00Z on Oct 31 is still Oct 31 in Los Angeles.
  expect(await ids("to=2026-10-31")).toEqual(["a1"]);
  expect(await ids("from=2026-11-20T12:00:00Z")).toEqual(["a5", "a6"]);
  expect(await ids(`from=${Date.parse("2026-11-02T00:00:00Z")}&to=${Date.parse("2026-11-20T12:00:00Z")}`)).toEqual([
    "a3",
    "a4",
  ]);
  const range = await exportOf("what=events&format=json&from=2026-11-02&to=2026-11-03");
  expect(range.json.from).toBe("2026-11-02T08:00:00.000Z");
  expect(range.json.to).toBe("2026-11-04T08:00:00.000Z");
  // Profiles seen within the range; turns within it.
  const people = lines((await exportOf("what=profiles&format=ndjson&from=2026-11-21")).text).map((l) => JSON.parse(l));
  expect(people.map((p) => p.id)).not.toContain(jo);
  expect(people).toHaveLength(1);
  const turns = lines((await exportOf("what=conversations&format=ndjson&to=2026-11-02")).text);
  expect(turns).toHaveLength(1);
});

test("a key of another workspace sees nothing of this one", async () => {
  for (const what of ["events", "profiles", "conversations"]) {
    for (const format of ["csv", "ndjson", "json"]) {
      const res = await exportOf(`what=${what}&format=${format}`, b.apiKey);
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/jo\.export|0177|cus_export|Saturday|HYPERLINK|d_a1/);
      expect(res.text).not.toContain(jo);
    }
  }
  const own = await exportOf("what=events&format=ndjson", b.apiKey);
  expect(lines(own.text).map((l) => JSON.parse(l).id)).toEqual(["b1", "b2"]);
  expect(own.text).toContain("b's private words");
});

test("bad parameters: 400 invalid_request naming the field, nothing streamed; no key 401, no scope 403", async () => {
  const bad: [string, string][] = [
    ["format=csv", "what"],
    ["what=people", "what"],
    ["what=events&format=xml", "format"],
    ["what=events&from=yesterday", "from"],
    ["what=events&to=2026-02-30", "to"],
    ["what=events&from=2026-11-10T00:00:00", "from"],
    ["what=events&from=2026-11-10&to=2026-11-01", "from"],
    ["what=events&what=profiles", "what"],
  ];
  for (const [q, path] of bad) {
    const res = await exportOf(q);
    expect(res.status, q).toBe(400);
    expect(res.json.error.code, q).toBe("invalid_request");
    expect(
      res.json.error.details.map((d: { path: string }) => d.path),
      q,
    ).toContain(path);
  }
  expect((await call(apiExport, "/api/v1/export?what=events")).status).toBe(401);
  const narrow = await createApiKey(db, a.workspaceId, "events only", null, ["events:write"]);
  const refused = await exportOf("what=events", narrow.key);
  expect(refused.status).toBe(403);
  expect(refused.json.error.code).toBe("forbidden");
  expect((await exportOf("what=events", a.siteKey)).status).toBe(403);
});

test("keyset pages: 2,500 events, 1,200 of them at the same instant, each exported once, in order", async () => {
  const w = await testWorkspace(db);
  const same = "2026-11-10T10:00:00.000Z";
  const events = Array.from({ length: 2500 }, (_, i) =>
    ev(`k${i}`, "web", "page_view", i < 1200 ? same : new Date(Date.parse(same) + i * 1000).toISOString(), {
      deviceId: `d_k${i % 50}`,
    }),
  );
  for (let i = 0; i < events.length; i += 500) await w.ingest(events.slice(i, i + 500));
  const res = await call(apiExport, "/api/v1/export?what=events&format=ndjson", { key: w.apiKey });
  const ids = lines(res.text).map((l) => JSON.parse(l).id as string);
  expect(ids).toHaveLength(2500);
  expect(new Set(ids).size).toBe(2500);
  const times = lines(res.text).map((l) => JSON.parse(l).occurredAt as string);
  expect([...times].sort()).toEqual(times);
});

test("backpressure: a page is read from the database only when the reader takes the previous one", async () => {
  const w = await testWorkspace(db);
  await w.ingest(
    Array.from({ length: 450 }, (_, i) =>
      ev(`bp${i}`, "web", "page_view", `2026-11-11T10:${String(i % 60).padStart(2, "0")}:00Z`, {
        deviceId: `d_bp${i}`,
      }),
    ),
  );
  let pages = 0;
  const stream = exportStream(eventsSource({ db, workspaceId: w.workspaceId, range: { from: null, to: null } }), {
    format: "ndjson",
    head: {},
    key: "events",
    pageSize: 50,
    onPage: () => pages++,
  });
  const reader = stream.getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  // A slow client: nothing more is read from the database while it does not ask.
  await new Promise((r) => setTimeout(r, 300));
  expect(pages).toBe(1);
  await reader.read();
  await new Promise((r) => setTimeout(r, 100));
  expect(pages).toBe(2);
  // The client goes away: the reading stops.
  await reader.cancel();
  await new Promise((r) => setTimeout(r, 100));
  expect(pages).toBe(2);
});

test("Settings → Data's route: the owner downloads the same export; a member is refused; another tenant gets 404", async () => {
  const path = `/api/app/${a.slug}/export?what=events&format=csv`;
  session.user = { id: a.ownerId, email: a.ownerEmail, name: null };
  const res = await call(ownerExport, path, { params: { workspace: a.slug } });
  expect(res.status).toBe(200);
  expect(csvObjects(res.text)).toHaveLength(6);
  expect(res.headers.get("x-export-count")).toBe("6");
  const member = await db.user.create({ data: { email: "member@export.test" }, select: { id: true, email: true } });
  await db.membership.create({ data: { userId: member.id, workspaceId: a.workspaceId, role: "member" } });
  session.user = { id: member.id, email: member.email, name: null };
  expect((await call(ownerExport, path, { params: { workspace: a.slug } })).status).toBe(403);
  session.user = { id: b.ownerId, email: b.ownerEmail, name: null };
  expect((await call(ownerExport, path, { params: { workspace: a.slug } })).status).toBe(404);
  session.user = null;
  expect((await call(ownerExport, path, { params: { workspace: a.slug } })).status).toBe(401);
});
