import { expect, test, vi } from "vitest";
import { GET as getThread } from "../../app/api/app/[workspace]/conversations/[id]/route.ts";
import { GET as getList } from "../../app/api/app/[workspace]/conversations/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { listConversations } from "../../lib/conversations/list-conversations.ts";
import { turnSql } from "../../lib/conversations/turns.ts";
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
const ownerB: SessionUser = { id: b.ownerId, email: b.ownerEmail, name: null };

const LONG =
  "Hi! Got your quote — is Saturday morning free? We have a piano on the second floor and a narrow staircase, so please bring straps.";

await a.ingest([
  // Jo: email, WhatsApp and an agent on WhatsApp, then an email sent and opened: answered.
  ev(
    "jo1",
    "web",
    "form_submit",
    "2026-11-04T22:30:00Z",
    { deviceId: "d_jo", email: "jo@rivera.test" },
    { properties: { form: "quote", name: "Jo Rivera" } },
  ),
  ev(
    "jo2",
    "channel",
    "message_in",
    "2026-11-05T17:12:00Z",
    { email: "jo@rivera.test", phone: "+1 805 555 0100" },
    {
      channel: "whatsapp",
      properties: { body: LONG, messageId: "SMjo1" },
    },
  ),
  ev(
    "jo3",
    "agent",
    "agent_action",
    "2026-11-05T17:14:00Z",
    { phone: "+18055550100" },
    {
      channel: "whatsapp",
      properties: { agent: "booking", action: "offered_slots", slots: 3 },
    },
  ),
  ev(
    "jo4",
    "email",
    "email_sent",
    "2026-11-06T15:42:00Z",
    { email: "jo@rivera.test" },
    {
      channel: "email",
      properties: {
        kind: "pre_job_briefing",
        subject: "Your move on Saturday",
        text: "Parking is on the left; we arrive at 9.",
      },
    },
  ),
  ev(
    "jo5",
    "email",
    "email_opened",
    "2026-11-06T16:00:00Z",
    { email: "jo@rivera.test" },
    {
      channel: "email",
      properties: { kind: "pre_job_briefing" },
    },
  ),
  // Sam: one SMS, never answered.
  ev(
    "sam1",
    "channel",
    "message_in",
    "2026-11-07T10:00:00Z",
    { phone: "+1 805 555 0111" },
    {
      channel: "sms",
      properties: { body: "Do you move hot tubs?" },
    },
  ),
  // Ana: a missed call, then a voicemail: unanswered since the call.
  ev(
    "ana1",
    "channel",
    "call_missed",
    "2026-11-07T11:00:00Z",
    { phone: "+1 805 555 0122" },
    {
      channel: "voice",
      direction: "in",
      properties: { status: "no-answer" },
    },
  ),
  ev(
    "ana2",
    "channel",
    "voicemail",
    "2026-11-07T11:01:00Z",
    { phone: "+1 805 555 0122" },
    {
      channel: "voice",
      direction: "in",
      properties: { recordingUrl: "https://api.twilio.test/rec/RE1", durationSeconds: 42 },
    },
  ),
  // Ben: asked, was answered, asked again: waiting since the second question.
  ev(
    "ben1",
    "channel",
    "message_in",
    "2026-11-03T09:00:00Z",
    { phone: "+1 805 555 0133" },
    { channel: "whatsapp", properties: { body: "Hello?" } },
  ),
  ev(
    "ben2",
    "channel",
    "message_out",
    "2026-11-03T09:05:00Z",
    { phone: "+1 805 555 0133" },
    {
      channel: "whatsapp",
      properties: { body: "Hi Ben, how can we help?", messageId: "SMben2", status: "delivered" },
    },
  ),
  ev(
    "ben3",
    "channel",
    "message_in",
    "2026-11-03T09:30:00Z",
    { phone: "+1 805 555 0133" },
    { channel: "whatsapp", properties: { body: "Price for 2 rooms?" } },
  ),
  ev(
    "ben4",
    "channel",
    "message_in",
    "2026-11-03T09:31:00Z",
    { phone: "+1 805 555 0133" },
    { channel: "sms", properties: { body: "Sent on SMS too" } },
  ),
  // A visitor who never talked: no conversation.
  ev(
    "web1",
    "web",
    "page_view",
    "2026-11-08T10:00:00Z",
    { deviceId: "d_web" },
    { properties: { url: "https://x.test/" } },
  ),
]);
await b.ingest([
  ev(
    "b1",
    "channel",
    "message_in",
    "2026-11-09T10:00:00Z",
    { phone: "+1 805 555 0199" },
    { channel: "sms", properties: { body: "Other tenant" } },
  ),
]);

const idOf = async (phone: string) => (await profileIdOf(db, a.ws, "phone", phone))!;
const jo = await idOf("+18055550100");
const sam = await idOf("+18055550111");
const ana = await idOf("+18055550122");
const ben = await idOf("+18055550133");
const other = (await profileIdOf(db, b.ws, "phone", "+18055550199"))!;

const list = (slug: string, qs = "") =>
  call(getList, `/api/app/${slug}/conversations${qs}`, { params: { workspace: slug } });
const thread = (slug: string, id: string, qs = "") =>
  call(getThread, `/api/app/${slug}/conversations/${id}${qs}`, { params: { workspace: slug, id } });

test("the list: one conversation per person across channels, newest first, unanswered flagged, counted", async () => {
  session.user = ownerA;
  const res = await list(a.slug);
  expect(res.status).toBe(200);
  const rows = res.json.conversations as { id: string; unanswered: boolean; waitingSince: string | null }[];
  expect(rows.map((r) => r.id)).toEqual([ana, sam, jo, ben]);
  expect(Object.fromEntries(rows.map((r) => [r.id, r.unanswered]))).toEqual({
    [ana]: true,
    [sam]: true,
    [jo]: false,
    [ben]: true,
  });
  expect(res.json.counts).toEqual({ all: 4, unanswered: 3 });
  const byId = Object.fromEntries(res.json.conversations.map((r: { id: string }) => [r.id, r]));
  expect(byId[ana].waitingSince).toBe("2026-11-07T11:00:00.000Z");
  expect(byId[ana].last).toMatchObject({
    type: "voicemail",
    via: "phone",
    direction: "in",
    preview: "Voicemail · 42s",
  });
  expect(byId[ben].waitingSince).toBe("2026-11-03T09:30:00.000Z");
  expect(byId[jo].last).toMatchObject({ type: "email_sent", via: "email", direction: "out" });
  expect(byId[jo].person).toMatchObject({ name: "Jo Rivera", email: "jo@rivera.test", phone: "+18055550100" });
  expect(byId[sam].last.preview).toBe("Do you move hot tubs?");
  expect(res.json.nextCursor).toBeNull();

  const unanswered = await list(a.slug, "?filter=unanswered");
  expect(unanswered.json.conversations.map((r: { id: string }) => r.id)).toEqual([ana, sam, ben]);
});

test("keyset pages: one at a time through every conversation, none twice, in order", async () => {
  session.user = ownerA;
  for (const filter of ["all", "unanswered"]) {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await list(a.slug, `?filter=${filter}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.json.conversations.map((r: { id: string }) => r.id));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual(filter === "all" ? [ana, sam, jo, ben] : [ana, sam, ben]);
  }
});

test("a thread: every turn in order with direction, channel, status and full text; calls, agents and statuses", async () => {
  session.user = ownerA;
  const res = await thread(a.slug, jo);
  expect(res.status).toBe(200);
  expect(res.json.unanswered).toBe(false);
  const items = res.json.items as Record<string, unknown>[];
  expect(items.map((i) => [i.type, i.via, i.direction])).toEqual([
    ["message_in", "WhatsApp", "in"],
    ["agent_action", "WhatsApp", "out"],
    ["email_sent", "email", "out"],
  ]);
  expect(items[0]!.text).toBe(LONG);
  expect(items[1]!.title).toBe("Booking agent: offered slots");
  // The open folds onto the email it describes (same kind): no line of its own.
  expect(items[2]).toMatchObject({
    title: "Your move on Saturday",
    text: "Parking is on the left; we arrive at 9.",
    status: "opened",
  });

  const voice = await thread(a.slug, ana);
  expect(voice.json.items).toMatchObject([
    { kind: "call", type: "call_missed", title: "Missed call (no answer)", via: "phone", direction: "in" },
    { kind: "call", type: "voicemail", recordingUrl: "https://api.twilio.test/rec/RE1", durationSeconds: 42 },
  ]);
  expect(voice.json.unanswered).toBe(true);

  const b4 = await thread(a.slug, ben, "?limit=2");
  expect(b4.json.channels).toEqual(["sms", "whatsapp"]);
  expect((await thread(a.slug, jo)).json.channels).toEqual(["email", "whatsapp"]);
  expect(b4.json.items.map((i: { text: string }) => i.text)).toEqual(["Price for 2 rooms?", "Sent on SMS too"]);
  const earlier = await thread(a.slug, ben, `?limit=2&cursor=${b4.json.nextCursor}`);
  expect(earlier.json.items.map((i: { text: string; status: string }) => [i.text, i.status])).toEqual([
    ["Hello?", null],
    ["Hi Ben, how can we help?", "delivered"],
  ]);
  expect(earlier.json.nextCursor).toBeNull();
});

test("a status without its email in view stays a line of its own", async () => {
  const w = await testWorkspace(db);
  await w.ingest([
    ev(
      "o1",
      "email",
      "email_opened",
      "2026-11-04T22:34:00Z",
      { email: "only.open@x.test" },
      { channel: "email", properties: { kind: "quote" } },
    ),
    ev(
      "o2",
      "pixel",
      "link_clicked",
      "2026-11-05T02:18:00Z",
      { email: "only.open@x.test" },
      { channel: "sms", properties: { link: "reminder" } },
    ),
  ]);
  const id = (await profileIdOf(db, w.ws, "email", "only.open@x.test"))!;
  session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  const res = await thread(w.slug, id);
  expect(res.json.items.map((i: { kind: string; title: string; via: string }) => [i.kind, i.title, i.via])).toEqual([
    ["status", "Opened the quote email", "email"],
    ["status", "Tapped the reminder link", "SMS"],
  ]);
  // Statuses are not turns: this person has no conversation in the list.
  expect((await list(w.slug)).json.counts).toEqual({ all: 0, unanswered: 0 });
});

test("another workspace's conversation is a 404, from either side; strangers get 401", async () => {
  session.user = ownerA;
  for (const res of [await thread(a.slug, other), await thread(b.slug, other), await list(b.slug)]) {
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  }
  session.user = ownerB;
  expect((await thread(b.slug, jo)).status).toBe(404);
  expect((await list(b.slug)).json.conversations.map((r: { id: string }) => r.id)).toEqual([other]);
  session.user = null;
  expect((await list(a.slug)).status).toBe(401);
});

test("bad input is a 400 naming the field; a merged-away id answers the survivor's thread", async () => {
  session.user = ownerA;
  for (const qs of ["?cursor=junk", "?filter=bogus", "?limit=0", "?limit=9999", "?cursor=W1siYSJd"]) {
    const res = await list(a.slug, qs);
    expect(res.status, qs).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
  }
  expect((await thread(a.slug, jo, "?cursor=nope")).status).toBe(400);
  expect((await thread(a.slug, "not-a-uuid")).status).toBe(404);

  const w = await testWorkspace(db);
  await w.ingest([
    ev(
      "m1",
      "channel",
      "message_in",
      "2026-11-04T10:00:00Z",
      { phone: "+1 805 555 0177" },
      { channel: "sms", properties: { body: "first" } },
    ),
    ev(
      "m2",
      "email",
      "email_replied",
      "2026-11-04T11:00:00Z",
      { email: "m@x.test" },
      { channel: "email", properties: { text: "second" } },
    ),
  ]);
  const p1 = (await profileIdOf(db, w.ws, "phone", "+18055550177"))!;
  const p2 = (await profileIdOf(db, w.ws, "email", "m@x.test"))!;
  const survivor = (await mergeProfiles(db, w.workspaceId, p1, p2))!;
  const gone = survivor === p1 ? p2 : p1;
  session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  const res = await thread(w.slug, gone);
  expect(res.status).toBe(200);
  expect(res.json.id).toBe(survivor);
  expect(res.json.items.map((i: { text: string; via: string }) => [i.text, i.via])).toEqual([
    ["first", "SMS"],
    ["second", "email"],
  ]);
  expect((await list(w.slug)).json.conversations.map((r: { id: string }) => r.id)).toEqual([survivor]);
});

test("the list walks the partial index of turns (its predicate is the query's own)", async () => {
  const plan = await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
    return tx.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(
      `EXPLAIN (FORMAT JSON) SELECT e.id FROM "Event" e WHERE e."workspaceId" = $1::uuid AND ${turnSql("e")}
       ORDER BY e."occurredAt" DESC, e.id DESC LIMIT 10`,
      a.workspaceId,
    );
  });
  expect(JSON.stringify(plan)).toContain("Event_conversation_turns_idx");
  const page = await listConversations(db, a.workspaceId, { filter: "all", limit: 2 });
  expect(page.conversations).toHaveLength(2);
});
