import { expect, test } from "vitest";
import { HEAD as headPixel, GET as pixel } from "../../app/api/o/[token]/route.ts";
import { POST as mergePost } from "../../app/api/v1/profiles/[id]/merge/route.ts";
import { uuidv7 } from "../../lib/db/uuidv7.ts";
import { createEmailSend } from "../../lib/email-tracking/create-email-send.ts";
import { recordEmailOpen } from "../../lib/email-tracking/record-open.ts";
import { useTestDb } from "../support/db.ts";
import { identityInvariants } from "../support/invariants.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const { db } = await useTestDb();
const a = await testWorkspace(db);
const b = await testWorkspace(db);

const [, jo] = await a.ingest([
  ev(
    "e1",
    "web",
    "page_view",
    "2026-11-01T10:00:00Z",
    { deviceId: "d_px" },
    { properties: { url: "https://acme.test/" } },
  ),
  ev("e2", "web", "form_submit", "2026-11-01T10:05:00Z", { deviceId: "d_px", email: "pixel.jo@example.com" }),
]);
const joId = jo!.profileId!;

// The well-known 1×1 transparent GIF89a, byte for byte.
const GIF = Buffer.from(
  "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b",
  "hex",
);

/** Fetches the pixel as a mail client would and returns the raw bytes. */
async function fetchPixel(token: string, method: "GET" | "HEAD" = "GET") {
  const req = new Request(`http://localhost/api/o/${token}`, { method });
  const res = method === "HEAD" ? await headPixel() : await pixel(req, { params: Promise.resolve({ token }) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

function expectGif(res: Response, bytes: Buffer) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/gif");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(bytes.equals(GIF)).toBe(true);
  expect(bytes.subarray(0, 6).toString("latin1")).toBe("GIF89a");
  expect([bytes.readUInt16LE(6), bytes.readUInt16LE(8)]).toEqual([1, 1]);
}

const opens = (workspaceId: string) =>
  db.event.findMany({ where: { workspaceId, type: "email_opened" }, orderBy: { occurredAt: "asc" } });

test("createEmailSend: a row with an unguessable token and the pixel URL to put in the mail", async () => {
  const send = await createEmailSend(db, {
    workspaceId: a.workspaceId,
    profileId: joId,
    kind: "follow_up",
    subject: "Your moving quote",
  });
  expect(send.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(send.pixelUrl).toBe(`http://localhost:3000/api/o/${send.token}`);
  expect(await db.emailSend.findUniqueOrThrow({ where: { id: send.id } })).toMatchObject({
    workspaceId: a.workspaceId,
    profileId: joId,
    token: send.token,
    kind: "follow_up",
    subject: "Your moving quote",
    openedAt: null,
  });
  await expect(
    createEmailSend(db, {
      workspaceId: a.workspaceId,
      profileId: (
        await b.ingest([ev("x1", "web", "identify", "2026-11-01T10:00:00Z", { email: "elsewhere@example.com" })])
      )[0]!.profileId,
      kind: "follow_up",
    }),
  ).rejects.toMatchObject({ code: "not_found", status: 404 });
});

test("GET /api/o/{token}: the GIF, email/email_opened on the recipient at their rung; openedAt set once, every open logged", async () => {
  const send = await createEmailSend(db, { workspaceId: a.workspaceId, profileId: joId, kind: "follow_up" });
  const before = await db.profile.findUniqueOrThrow({ where: { id: joId } });

  const first = await fetchPixel(send.token);
  expectGif(first.res, first.bytes);
  const afterFirst = await db.emailSend.findUniqueOrThrow({ where: { id: send.id } });
  expect(afterFirst.openedAt).toBeInstanceOf(Date);
  let logged = await opens(a.workspaceId);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({
    profileId: joId,
    source: "email",
    type: "email_opened",
    channel: "email",
    rung: 2,
    identityHashes: [],
    properties: { kind: "follow_up" },
    summary: "Email opened: follow-up",
  });

  await new Promise((r) => setTimeout(r, 5));
  const second = await fetchPixel(send.token);
  expectGif(second.res, second.bytes);
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: send.id } })).openedAt).toEqual(afterFirst.openedAt);
  logged = await opens(a.workspaceId);
  expect(logged).toHaveLength(2);

  expect(await recordEmailOpen(db, send.token)).toMatchObject({ emailSendId: send.id, first: false });
  expect(await opens(a.workspaceId)).toHaveLength(3);

  const after = await db.profile.findUniqueOrThrow({ where: { id: joId } });
  expect(after.eventCount).toBe(before.eventCount + 3);
  expect(await identityInvariants(db, a.workspaceId)).toEqual([]);
});

test("unknown or malformed tokens get the same GIF and nothing is logged; HEAD logs nothing either", async () => {
  const send = await createEmailSend(db, { workspaceId: a.workspaceId, profileId: joId, kind: "campaign" });
  const events = await db.event.count();
  for (const token of ["nope", "A".repeat(32), "x".repeat(500), "..%2F..%2Fetc", uuidv7()]) {
    const { res, bytes } = await fetchPixel(token);
    expectGif(res, bytes);
  }
  const head = await fetchPixel(send.token, "HEAD");
  expect(head.res.status).toBe(200);
  expect(head.res.headers.get("content-type")).toBe("image/gif");
  expect(await db.event.count()).toBe(events);
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: send.id } })).openedAt).toBeNull();
});

test("a mail to no known person records the open on the mail only; a merged recipient's open lands on the survivor", async () => {
  const anonymous = await createEmailSend(db, { workspaceId: a.workspaceId, kind: "newsletter" });
  const events = await db.event.count();
  await fetchPixel(anonymous.token);
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: anonymous.id } })).openedAt).toBeInstanceOf(Date);
  expect(await db.event.count()).toBe(events);

  const w = await testWorkspace(db);
  const [p1] = await w.ingest([ev("m1", "web", "identify", "2026-11-01T10:00:00Z", { email: "px.one@example.com" })]);
  const [p2] = await w.ingest([
    ev("m2", "channel", "message_in", "2026-11-02T10:00:00Z", { phone: "+1 805 555 0199" }, { channel: "sms" }),
  ]);
  const send = await createEmailSend(db, { workspaceId: w.workspaceId, profileId: p2!.profileId, kind: "follow_up" });
  const merged = await mergePost(
    new Request("http://localhost/x", {
      method: "POST",
      headers: { authorization: `Bearer ${w.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ otherProfileId: p2!.profileId }),
    }),
    { params: Promise.resolve({ id: p1!.profileId! }) },
  );
  const survivor = ((await merged.json()) as { id: string }).id;
  await fetchPixel(send.token);
  const [opened] = await opens(w.workspaceId);
  expect(opened).toMatchObject({ profileId: survivor, rung: 3 });
  expect(await identityInvariants(db, w.workspaceId)).toEqual([]);
});
