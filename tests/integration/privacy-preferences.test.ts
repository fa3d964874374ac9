import fc from "fast-check";
import { afterAll, expect, test } from "vitest";
import { POST as sendEmailRoute } from "../../app/api/v1/emails/route.ts";
import { POST as linkRoute } from "../../app/privacy/preferences/link/route.ts";
import { POST as channelsRoute } from "../../app/privacy/preferences/me/channels/route.ts";
import { POST as deleteRoute } from "../../app/privacy/preferences/me/delete/route.ts";
import { GET as downloadRoute } from "../../app/privacy/preferences/me/download/route.ts";
import { GET as entryGet, POST as openRoute } from "../../app/privacy/preferences/route.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { encrypt, hashIdentifier } from "../../lib/crypto/keys.ts";
import { signToken } from "../../lib/crypto/signed-token.ts";
import { sha256Hex } from "../../lib/crypto/tokens.ts";
import { uuidv7 } from "../../lib/db/uuidv7.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { assertMaySend } from "../../lib/privacy/channel-opt-outs.ts";
import { preferencesView } from "../../lib/privacy/preferences/person-view.ts";
import { readSession } from "../../lib/privacy/preferences/session.ts";
import {
  issuePreferencesLink,
  preferencesFooterUrl,
  readPreferencesToken,
  signPreferencesToken,
} from "../../lib/privacy/preferences/tokens.ts";
import { call, profileIdOf } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { startFakeResend } from "../support/fake-resend.ts";
import { tablesHolding } from "../support/tables-holding.ts";
import { ev, testWorkspace } from "../support/workspace.ts";

const fake = await startFakeResend();
process.env.RESEND_API_BASE = fake.origin;
resetEnvCache();
afterAll(async () => {
  await fake.close();
  delete process.env.RESEND_API_BASE;
  resetEnvCache();
});

const { db } = await useTestDb();

let clients = 0;
/** A distinct visitor for the rate limiter (its X-Forwarded-For). */
const visitor = () => ({ "x-forwarded-for": `198.51.100.${++clients}` });

const at = (n: number) => new Date(Date.parse("2026-11-02T10:00:00Z") + n * 60_000).toISOString();

/** A person with a device, an email, a phone (a merge joined them), a campaign landing and a message. */
async function person(w: Awaited<ReturnType<typeof testWorkspace>>, tag: string) {
  const email = `${tag}@example.com`;
  const phone = `+1805555${String(1000 + clients).slice(-4)}`;
  await w.ingest([
    ev(
      `${tag}1`,
      "web",
      "page_view",
      at(0),
      { deviceId: `d_${tag}_1` },
      { properties: { url: "https://acme.test/pricing?utm_source=google&utm_campaign=spring" } },
    ),
    ev(`${tag}2`, "web", "form_submit", at(1), { deviceId: `d_${tag}_1`, email: email.toUpperCase() }),
    ev(
      `${tag}3`,
      "channel",
      "message_in",
      at(2),
      { phone },
      { channel: "sms", properties: { body: `${tag} asks about the blue sofa` } },
    ),
    ev(`${tag}4`, "web", "identify", at(3), { deviceId: `d_${tag}_1`, email, phone }),
  ]);
  const profileId = (await profileIdOf(db, w.ws, "email", email)) as string;
  return { email, phone, profileId, device: `d_${tag}_1`, body: `${tag} asks about the blue sofa` };
}

const form = (fields: Record<string, string>) => ({
  raw: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

async function askForLink(slug: string, email: string, who = visitor()) {
  const f = form({ w: slug, email });
  return call(linkRoute, "/privacy/preferences/link", {
    method: "POST",
    raw: f.raw,
    headers: { ...f.headers, ...who },
  });
}

/** The newest dev-outbox mail to `to` once it is there, and the privacy link in it. */
async function linkMailedTo(to: string, count = 1) {
  await expect.poll(() => db.outboxEmail.count({ where: { to } }), { timeout: 5000 }).toBe(count);
  const mail = await db.outboxEmail.findFirstOrThrow({ where: { to }, orderBy: { createdAt: "desc" } });
  const token = /\/privacy\/preferences\?t=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? "";
  return { mail, token };
}

async function open(token: string, who = visitor()) {
  const f = form({ t: token });
  const res = await call(openRoute, "/privacy/preferences", {
    method: "POST",
    raw: f.raw,
    headers: { ...f.headers, ...who },
  });
  const cookie = /^ot_privacy=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1] ?? "";
  return { res, cookie };
}

const withCookie = (cookie: string) => ({ cookie: `ot_privacy=${cookie}`, ...visitor() });

test("P9: ?w= → an email → a single-use link valid 30 minutes through the workspace's mail; it opens the page once", async () => {
  const w = await testWorkspace(db);
  const p = await person(w, "ppone");
  const { name } = await db.workspace.findUniqueOrThrow({ where: { id: w.workspaceId }, select: { name: true } });
  const page = await call(entryGet, `/privacy/preferences?w=${w.slug}`, { headers: visitor() });
  expect(page.status).toBe(200);
  expect(page.text).toContain(`<p class="business">${name}</p>`);
  expect(page.text).toContain('action="/privacy/preferences/link"');
  expect(page.headers.get("cache-control")).toBe("no-store");

  const asked = await askForLink(w.slug, ` ${p.email.toUpperCase()} `);
  expect(asked.status).toBe(303);
  expect(asked.headers.get("location")).toBe(`/privacy/preferences?w=${w.slug}&sent=1`);
  const { mail, token } = await linkMailedTo(p.email);
  expect(mail.workspaceId).toBe(w.workspaceId);
  expect(mail.subject).toMatch(/^Your privacy page at Test \d+$/);
  expect(mail.text).toContain("works once, within 30 minutes");
  // Signed, naming workspace, person and purpose; stored only as a hash, expiring in 30 minutes.
  const t = readPreferencesToken(token);
  expect(t).toMatchObject({ purpose: "link", workspaceId: w.workspaceId, profileId: p.profileId });
  expect(Math.abs((t?.expiresAt.getTime() ?? 0) - Date.now() - 30 * 60_000)).toBeLessThan(5000);
  const row = await db.preferenceToken.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } });
  expect(row).toMatchObject({ kind: "link", scope: "full", usedAt: null, profileId: p.profileId });
  expect(JSON.stringify(row)).not.toContain(token);

  // A GET (a mail scanner, a preview) uses nothing up; the button does, once.
  for (let i = 0; i < 2; i++) {
    const shown = await call(entryGet, `/privacy/preferences?t=${token}`, { headers: visitor() });
    expect(shown.status).toBe(200);
    expect(shown.text).toContain("Open my privacy page");
  }
  const opened = await open(token);
  expect(opened.res.status).toBe(303);
  expect(opened.res.headers.get("location")).toBe("/privacy/preferences/me");
  expect(opened.res.headers.get("set-cookie")).toMatch(
    /^ot_privacy=[^;]+; Path=\/privacy\/preferences; Expires=.+; HttpOnly; SameSite=Lax$/,
  );
  const again = await open(token);
  expect(again.res.status).toBe(410);
  expect(again.res.text).toContain("This link was already used");
  expect(again.cookie).toBe("");
  expect((await call(entryGet, `/privacy/preferences?t=${token}`, { headers: visitor() })).status).toBe(410);

  // The page: what is held, the typed address readable and everything else masked, messages, consent, switches.
  const session = await readSession(db, opened.cookie);
  expect(session).toMatchObject({ scope: "full", profileId: p.profileId });
  const view = await preferencesView(db, session!);
  expect(view?.identifiers).toEqual(
    expect.arrayContaining([
      { id: expect.any(String), type: "email", value: p.email, typed: true },
      { id: expect.any(String), type: "phone", value: expect.stringContaining("•••"), typed: false },
    ]),
  );
  expect(JSON.stringify(view)).not.toContain(p.phone);
  expect(view?.devices).toBe(1);
  expect(view?.messages.map((m) => m.body)).toEqual([p.body]);
  expect(view?.recent.map((e) => e.title)).toContain(`You messaged ${name} on SMS`);
  expect(view?.activity).toEqual(expect.arrayContaining([{ label: "Pages viewed on the website", count: 1 }]));
  expect(view?.channels.map((c) => [c.channel, c.allowed])).toEqual([
    ["email", true],
    ["sms", true],
    ["whatsapp", true],
    ["tracking", true],
  ]);
  // No session: the entry page says the page has closed (401).
  const closed = await call(entryGet, "/privacy/preferences", { headers: visitor() });
  expect(closed.status).toBe(401);
  const live = await call(entryGet, "/privacy/preferences", { headers: withCookie(opened.cookie) });
  expect(live.status).toBe(303);
  expect(live.headers.get("location")).toBe("/privacy/preferences/me");
});

test("P9: with the workspace's Resend connected the link goes out from the business's own sender", async () => {
  const w = await testWorkspace(db);
  await connectIntegration(db, w.workspaceId, "resend", {
    apiKey: "re_PrefsWorkspace_0000001",
    webhookSecret: "whsec_UHJlZnNXb3Jrc3BhY2VTaWduaW5nMDE=",
    from: "Acme Movers <hello@mail.acme.test>",
  });
  const p = await person(w, "ppresend");
  fake.requests.length = 0;
  expect((await askForLink(w.slug, p.email)).status).toBe(303);
  await expect.poll(() => fake.requests.filter((r) => r.path === "/emails").length, { timeout: 5000 }).toBe(1);
  const sent = fake.requests.find((r) => r.path === "/emails");
  expect(sent?.headers.authorization).toBe("Bearer re_PrefsWorkspace_0000001");
  expect(sent?.body).toMatchObject({ from: "Acme Movers <hello@mail.acme.test>", to: [p.email] });
  expect(sent?.body.text).toMatch(/\/privacy\/preferences\?t=[A-Za-z0-9_-]{80,}/);
  expect(sent?.body.html).not.toContain("/api/o/");
  expect(await db.outboxEmail.count({ where: { to: p.email } })).toBe(0);
});

test("P9 neutral answer: a known and an unknown address get the same answer; nothing is sent to the unknown one", async () => {
  const w = await testWorkspace(db);
  const p = await person(w, "ppneutral");
  const unknown = await askForLink(w.slug, "nobody.here@example.com");
  const known = await askForLink(w.slug, p.email);
  expect([unknown.status, unknown.headers.get("location"), unknown.text]).toEqual([
    known.status,
    known.headers.get("location"),
    known.text,
  ]);
  const answer = await call(entryGet, `/privacy/preferences?w=${w.slug}&sent=1`, { headers: visitor() });
  expect(answer.status).toBe(200);
  expect(answer.text).toContain("If Test");
  expect(answer.text).not.toContain(p.email);
  await linkMailedTo(p.email);
  expect(await db.outboxEmail.count({ where: { to: "nobody.here@example.com" } })).toBe(0);
  expect(await db.preferenceToken.count({ where: { workspaceId: w.workspaceId } })).toBe(1);
  // Not an address: the form again, 400; an unknown business: 404. Nothing stored either way.
  const bad = await askForLink(w.slug, "not-an-email");
  expect(bad.status).toBe(400);
  expect(bad.text).toContain('aria-invalid="true"');
  expect((await askForLink("no-such-business-here", p.email)).status).toBe(404);
  expect((await call(entryGet, "/privacy/preferences?w=no-such-business-here", { headers: visitor() })).status).toBe(
    404,
  );
  expect(await db.preferenceToken.count({ where: { workspaceId: w.workspaceId } })).toBe(1);
});

test("P9 rate limit: a visitor asking too often gets 429; one address gets at most 3 links per 30 minutes", async () => {
  const w = await testWorkspace(db);
  const p = await person(w, "pplimit");
  const one = visitor();
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await askForLink(w.slug, `someone${i}@example.com`, one));
  expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 303, 303, 429]);
  expect(Number(answers[5]?.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(answers[5]?.text).toContain("Too many requests");
  // Many visitors, one address: the same neutral answer each time, three mails in all.
  for (let i = 0; i < 5; i++) expect((await askForLink(w.slug, p.email)).status).toBe(303);
  await linkMailedTo(p.email, 3);
  expect(await db.preferenceToken.count({ where: { workspaceId: w.workspaceId, kind: "link" } })).toBe(3);
});

test("P9 tokens: forged, garbled, tampered, expired and used links get a clear 4xx page and change nothing", async () => {
  const w = await testWorkspace(db);
  const p = await person(w, "ppforge");
  const good = await issuePreferencesLink(db, w.workspaceId, p.profileId, null);
  const token = new URL(good.url).searchParams.get("t") ?? "";
  const payload = Buffer.from(token, "base64url").subarray(0, 46);
  const tampered = Buffer.from(token, "base64url");
  tampered[20] = (tampered[20] ?? 0) ^ 1; // another person
  const cases: [string, string, number, string][] = [
    ["garbled", "not-a-token", 400, "This link is not valid"],
    ["empty", "", 400, "This link is not valid"],
    ["tampered", tampered.toString("base64url"), 400, "This link is not valid"],
    ["signed for another purpose", signToken("other-purpose", payload), 400, "This link is not valid"],
    ["a variant spelling", `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, 400, "This link is not valid"],
    [
      "expired",
      signPreferencesToken({
        purpose: "link",
        workspaceId: w.workspaceId,
        profileId: p.profileId,
        expiresAt: new Date(Date.now() - 1000),
      }),
      410,
      "This link has expired",
    ],
    [
      "an expired footer link",
      new URL(
        preferencesFooterUrl(w.workspaceId, p.profileId, new Date(Date.now() - 366 * 86_400_000)),
      ).searchParams.get("t") ?? "",
      410,
      "Links in emails work for a year",
    ],
    [
      "signed but never issued",
      signPreferencesToken({
        purpose: "link",
        workspaceId: w.workspaceId,
        profileId: p.profileId,
        expiresAt: new Date(Date.now() + 60_000),
      }),
      410,
      "already used",
    ],
  ];
  const before = await db.preferenceToken.findMany({ where: { workspaceId: w.workspaceId } });
  for (const [what, t, status, words] of cases) {
    const shown = await call(entryGet, `/privacy/preferences?t=${encodeURIComponent(t)}`, { headers: visitor() });
    expect([what, shown.status], what).toEqual([what, status]);
    expect(shown.text, what).toContain(words);
    const posted = await open(t);
    expect([what, posted.res.status], what).toEqual([what, status]);
    expect(posted.cookie, what).toBe("");
  }
  // An expired link's row stays unused; nothing was opened.
  const expired = await issuePreferencesLink(db, w.workspaceId, p.profileId, null, new Date(Date.now() - 31 * 60_000));
  const expiredToken = new URL(expired.url).searchParams.get("t") ?? "";
  expect((await open(expiredToken)).res.status).toBe(410);
  expect(await db.preferenceToken.findMany({ where: { workspaceId: w.workspaceId } })).toHaveLength(before.length + 1);
  expect(await db.preferenceToken.count({ where: { workspaceId: w.workspaceId, NOT: { usedAt: null } } })).toBe(0);
  expect(await db.preferenceToken.count({ where: { workspaceId: w.workspaceId, kind: "session" } })).toBe(0);
  // The good link still opens (once), and a made-up session cookie opens nothing.
  expect((await open(token)).res.status).toBe(303);
  for (const cookie of ["", "x".repeat(43), "garbage; ot_privacy=%00"]) {
    const res = await call(channelsRoute, "/privacy/preferences/me/channels", {
      body: { channel: "email", allowed: false },
      headers: withCookie(cookie),
    });
    expect(res.status).toBe(401);
  }
  expect(await db.suppression.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("P9 footer: every email carries the person's privacy link; it opens the whole page again and again, download and delete included", async () => {
  const w = await testWorkspace(db);
  await connectIntegration(db, w.workspaceId, "resend", {
    apiKey: "re_PrefsFooter_000000001",
    webhookSecret: "whsec_UHJlZnNGb290ZXJTaWduaW5nMDAwMDE=",
    from: "Acme Movers <hello@mail.acme.test>",
  });
  const p = await person(w, "ppfooter");
  fake.requests.length = 0;
  for (const purpose of ["transactional", "marketing"]) {
    const res = await call(sendEmailRoute, "/api/v1/emails", {
      method: "POST",
      key: w.apiKey,
      body: { profileId: p.profileId, subject: "Your quote", html: "<p>Hello</p>", text: "Hello", purpose },
    });
    expect(res.status).toBe(201);
  }
  const sent = fake.requests.filter((r) => r.path === "/emails");
  expect(sent).toHaveLength(2);
  const footers = sent.map((s) => /\/privacy\/preferences\?t=([A-Za-z0-9_-]+)/.exec(s.body.text)?.[1] ?? "");
  for (const [i, s] of sent.entries()) {
    expect(s.body.text).toContain(`Your data and privacy choices: http`);
    expect(s.body.html).toContain(`/privacy/preferences?t=${footers[i]}`);
    expect(readPreferencesToken(footers[i] ?? "")).toMatchObject({ purpose: "footer", profileId: p.profileId });
  }
  expect(sent[1]?.body.text).toContain("Unsubscribe: http");
  expect(sent[0]?.body.text).not.toContain("Unsubscribe:");

  // A footer link opens again and again (it is in a mail people keep), each time the person's whole page
  // (API.md: "that link, or a footer link" → what is held, switches, download, delete).
  const shown = await call(entryGet, `/privacy/preferences?t=${footers[0]}`, { headers: visitor() });
  expect(shown.status).toBe(200);
  const first = await open(footers[0] ?? "");
  const second = await open(footers[0] ?? "");
  expect([first.res.status, second.res.status]).toEqual([303, 303]);
  const session = await readSession(db, second.cookie);
  expect(session).toMatchObject({ scope: "full", profileId: p.profileId });
  const view = await preferencesView(db, session!);
  // Nothing was typed on this visit: every identifier is shown masked (the download has them in full).
  expect(view?.identifiers.every((i) => !i.typed && i.value.includes("•••"))).toBe(true);
  expect(view?.messages.map((m) => m.body)).toContain(p.body);

  const download = await call(downloadRoute, "/privacy/preferences/me/download?format=json", {
    headers: withCookie(first.cookie),
  });
  expect(download.status).toBe(200);
  expect(download.text).toContain(p.email);
  // The switches work from a footer link, as an unsubscribe link would.
  const off = await call(channelsRoute, "/privacy/preferences/me/channels", {
    body: { channel: "sms", allowed: false },
    headers: withCookie(first.cookie),
  });
  expect(off.status).toBe(200);
  expect(off.json.channels.find((c: { channel: string }) => c.channel === "sms")).toMatchObject({ allowed: false });
  const del = await call(deleteRoute, "/privacy/preferences/me/delete", {
    body: { confirm: "delete" },
    headers: withCookie(first.cookie),
  });
  expect(del.status).toBe(200);
  expect(await db.profile.count({ where: { id: p.profileId } })).toBe(0);
  // The footer link of an erased person opens nothing any more.
  expect((await call(entryGet, `/privacy/preferences?t=${footers[1]}`, { headers: visitor() })).status).toBe(410);
});

test("P9 switches: each calls the one opt-out (via preferences, logged), sends are refused at once, and back on", async () => {
  const w = await testWorkspace(db);
  const p = await person(w, "ppswitch");
  const link = await issuePreferencesLink(db, w.workspaceId, p.profileId, null);
  const { cookie } = await open(new URL(link.url).searchParams.get("t") ?? "");
  const flip = (channel: string, allowed: boolean) =>
    call(channelsRoute, "/privacy/preferences/me/channels", {
      body: { channel, allowed },
      headers: withCookie(cookie),
    });

  const off = await flip("email", false);
  expect(off.status).toBe(200);
  expect(off.json.channels).toEqual([
    { channel: "email", allowed: false, partly: null },
    { channel: "sms", allowed: true, partly: null },
    { channel: "whatsapp", allowed: true, partly: null },
    { channel: "tracking", allowed: true, partly: null },
  ]);
  await expect(assertMaySend(db, w.workspaceId, p.profileId, "email", "transactional")).rejects.toMatchObject({
    status: 409,
    code: "opted_out",
  });
  expect((await flip("tracking", false)).status).toBe(200);
  const requests = await db.privacyRequest.findMany({
    where: { workspaceId: w.workspaceId, kind: "opt_out" },
    orderBy: { receivedAt: "asc" },
  });
  expect(requests.map((r) => [r.via, r.profileId, r.status, r.channels])).toEqual([
    ["preferences", p.profileId, "done", ["email"]],
    ["preferences", p.profileId, "done", ["tracking"]],
  ]);
  const on = await flip("email", true);
  expect(on.json.channels[0]).toEqual({ channel: "email", allowed: true, partly: null });
  await assertMaySend(db, w.workspaceId, p.profileId, "email", "marketing");
  // Bad input: 400 with the field, nothing changed; a cross-site request: 403.
  const bad = await call(channelsRoute, "/privacy/preferences/me/channels", {
    body: { channel: "fax", allowed: false },
    headers: withCookie(cookie),
  });
  expect(bad.status).toBe(400);
  expect(bad.json.error.details[0].path).toBe("channel");
  const cross = await call(channelsRoute, "/privacy/preferences/me/channels", {
    body: { channel: "sms", allowed: false },
    headers: { ...withCookie(cookie), origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(cross.status).toBe(403);
  expect((await flip("sms", true)).json.channels[1].allowed).toBe(true);
});

test("P10: the person's download holds everything (identifiers, events, messages, consent records, merges, attribution) as JSON and CSV", async () => {
  const w = await testWorkspace(db);
  const p = await person(w, "ppexport");
  await db.consentRecord.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      profileId: null,
      deviceHash: hashIdentifier(w.ws.hashSalt, "device", p.device),
      choice: "granted",
      bannerVersion: "v3",
      country: "DE",
    },
  });
  await db.consentRecord.create({
    data: { id: uuidv7(), workspaceId: w.workspaceId, profileId: p.profileId, choice: "denied", bannerVersion: "v3" },
  });
  expect(await db.profileMerge.count({ where: { workspaceId: w.workspaceId, intoProfileId: p.profileId } })).toBe(1);
  await db.profile.update({ where: { id: p.profileId }, data: { nameEnc: encrypt("Paula Export-Person") } });
  const link = await issuePreferencesLink(db, w.workspaceId, p.profileId, null);
  const { cookie } = await open(new URL(link.url).searchParams.get("t") ?? "");

  const json = await call(downloadRoute, "/privacy/preferences/me/download?format=json", {
    headers: withCookie(cookie),
  });
  expect(json.status).toBe(200);
  expect(json.headers.get("content-disposition")).toBe(`attachment; filename="${w.slug}-my-data-${p.profileId}.json"`);
  const x = json.json;
  expect(Object.keys(x).sort()).toEqual(
    [
      "attribution",
      "consentRecords",
      "events",
      "exportedAt",
      "identifiers",
      "merges",
      "messages",
      "name",
      "optOuts",
      "profile",
    ].sort(),
  );
  expect(x.name).toBe("Paula Export-Person");
  expect(x.identifiers.map((i: { type: string; value: string }) => [i.type, i.value])).toEqual(
    expect.arrayContaining([
      ["email", p.email],
      ["phone", p.phone],
    ]),
  );
  expect(x.events.map((e: { type: string }) => e.type).sort()).toEqual(
    ["form_submit", "identify", "message_in", "page_view"].sort(),
  );
  expect(x.messages.map((m: { body: string }) => m.body)).toEqual([p.body]);
  expect(x.consentRecords.map((c: { choice: string; recordedFor: string }) => [c.choice, c.recordedFor])).toEqual([
    ["granted", "device"],
    ["denied", "person"],
  ]);
  expect(x.merges).toHaveLength(1);
  expect(x.merges[0]).toMatchObject({ intoProfileId: p.profileId, kind: "auto" });
  expect(x.attribution.first).toMatchObject({ utm_source: "google", utm_campaign: "spring" });

  const csv = await call(downloadRoute, "/privacy/preferences/me/download?format=csv", { headers: withCookie(cookie) });
  expect(csv.status).toBe(200);
  expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const records = new Set(
    csv.text
      .split("\r\n")
      .slice(1, -1)
      .map((line) => line.split(",")[0]),
  );
  expect([...records].sort()).toEqual(
    ["attribution", "consent", "event", "identifier", "merge", "message", "profile"].sort(),
  );
  expect(csv.text).toContain(p.email);
  expect(csv.text).toContain("Paula Export-Person");
  expect(csv.text).toContain(p.phone);
  expect(csv.text).toContain(p.body);

  const exports = await db.privacyRequest.findMany({ where: { workspaceId: w.workspaceId, kind: "export" } });
  expect(exports.map((r) => [r.via, r.profileId, r.status])).toEqual([
    ["preferences", p.profileId, "done"],
    ["preferences", p.profileId, "done"],
  ]);
  expect(exports[0]?.completedAt).not.toBeNull();
});

test("P11: after a preferences-page deletion no table holds the person's email, phone, keyed hashes, device ids or message bodies; pending sends are cancelled; the link is dead and says so", async () => {
  const w = await testWorkspace(db);
  const p = await person(w, "pperase");
  await w.ingest([
    ev("pperase5", "web", "identify", at(9), { deviceId: "d_pperase_2", accountId: "cus_pperase", email: p.email }),
  ]);
  const profileId = (await profileIdOf(db, w.ws, "email", p.email)) as string;
  // Pending outbound sends: a conversion send-back waiting in the outbox, an email still being sent.
  await db.outbox.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      profileId,
      destination: "google-ads",
      payload: { email: p.email },
    },
  });
  await db.emailSend.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      profileId,
      token: `tok_${Date.now()}`,
      kind: "marketing",
      status: "sending",
      toHash: hashIdentifier(w.ws.hashSalt, "email", p.email),
    },
  });
  await db.consentRecord.create({
    data: {
      id: uuidv7(),
      workspaceId: w.workspaceId,
      deviceHash: hashIdentifier(w.ws.hashSalt, "device", p.device),
      choice: "granted",
    },
  });
  // The whole flow: ask, open, switch some channels off (suppressions over their hashes), download, delete.
  expect((await askForLink(w.slug, p.email)).status).toBe(303);
  const { token } = await linkMailedTo(p.email);
  const { cookie } = await open(token);
  for (const channel of ["email", "tracking"])
    expect(
      (
        await call(channelsRoute, "/privacy/preferences/me/channels", {
          body: { channel, allowed: false },
          headers: withCookie(cookie),
        })
      ).status,
    ).toBe(200);
  expect((await call(downloadRoute, "/privacy/preferences/me/download", { headers: withCookie(cookie) })).status).toBe(
    200,
  );
  // Switching tracking off already cancelled the conversion waiting to go to Google (P5/P7, decision 021).
  expect((await db.outbox.findMany({ where: { workspaceId: w.workspaceId, profileId } })).map((o) => o.status)).toEqual(
    ["cancelled"],
  );

  const needles = [
    p.email,
    p.phone,
    p.device,
    "d_pperase_2",
    "cus_pperase",
    p.body,
    ...(["email", "phone", "device", "account"] as const).flatMap((type) =>
      (type === "email"
        ? [p.email]
        : type === "phone"
          ? [p.phone]
          : type === "device"
            ? [p.device, "d_pperase_2"]
            : ["cus_pperase"]
      ).map((v) => hashIdentifier(w.ws.hashSalt, type, v)),
    ),
  ];
  const before = await tablesHolding(db, needles);
  expect(before).toEqual(
    expect.arrayContaining([expect.stringMatching(/^Suppression\.hash/), expect.stringMatching(/^OutboxEmail\.to/)]),
  );

  // Without the confirmation nothing happens.
  const unconfirmed = await call(deleteRoute, "/privacy/preferences/me/delete", {
    body: {},
    headers: withCookie(cookie),
  });
  expect(unconfirmed.status).toBe(400);
  expect(await db.profile.count({ where: { id: profileId } })).toBe(1);

  const del = await call(deleteRoute, "/privacy/preferences/me/delete", {
    body: { confirm: "delete" },
    headers: withCookie(cookie),
  });
  expect(del.status).toBe(200);
  expect(del.json).toEqual({
    deleted: true,
    business: expect.stringMatching(/^Test \d+$/),
    deletedAt: expect.any(String),
    cancelledSends: 1, // the email still being sent
  });
  expect(del.headers.get("set-cookie")).toMatch(/^ot_privacy=; Path=\/privacy\/preferences; Max-Age=0/);

  expect(await tablesHolding(db, needles)).toEqual([]);
  expect(await db.outbox.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.emailSend.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.preferenceToken.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  const erasure = await db.privacyRequest.findFirstOrThrow({ where: { workspaceId: w.workspaceId, kind: "erasure" } });
  expect(erasure).toMatchObject({ via: "preferences", profileId: null, status: "done" });
  expect(await db.privacyRequest.count({ where: { workspaceId: w.workspaceId, NOT: { profileId: null } } })).toBe(0);

  // The session and the link are dead, and the link's page says what happened.
  const after = await call(channelsRoute, "/privacy/preferences/me/channels", {
    body: { channel: "sms", allowed: false },
    headers: withCookie(cookie),
  });
  expect(after.status).toBe(401);
  const page = await call(entryGet, `/privacy/preferences?t=${token}`, { headers: visitor() });
  expect(page.status).toBe(410);
  expect(page.text).toContain("Your data was deleted");
  expect((await open(token)).res.status).toBe(410);
  // The same address later is a new person with nothing from before (R17).
  const [fresh] = await w.ingest([ev("pperase6", "web", "identify", at(20), { email: p.email })]);
  expect(fresh?.profileId).not.toBe(profileId);
  expect(fresh?.rung).toBe(2);
});

test("reached through a business's first-party proxy, the page answers from the app's own address", async () => {
  const w = await testWorkspace(db);
  process.env.APP_URL = "https://app.onethread.test";
  resetEnvCache();
  try {
    const res = await call(entryGet, `/privacy/preferences?w=${w.slug}`, {
      headers: { ...visitor(), "x-forwarded-host": "shop.example" },
    });
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toBe(`https://app.onethread.test/privacy/preferences?w=${w.slug}`);
    const direct = await call(entryGet, `/privacy/preferences?w=${w.slug}`, {
      headers: { ...visitor(), "x-forwarded-host": "app.onethread.test" },
    });
    expect(direct.status).toBe(200);
  } finally {
    delete process.env.APP_URL;
    resetEnvCache();
  }
});

test("property: random tokens, slugs, addresses and cookies never get a 5xx, and store nothing", async () => {
  const w = await testWorkspace(db);
  const text = fc.oneof(
    fc.string({ maxLength: 90 }),
    fc.string({ unit: "binary", maxLength: 12 }),
    fc.constantFrom("", "\u0000", "\ud800", "%", "a".repeat(3000), w.slug, "A".repeat(83), `${w.slug}\u0000`),
  );
  await fc.assert(
    fc.asyncProperty(text, text, text, async (a, b, c) => {
      const q = (k: string, v: string) => `/privacy/preferences?${new URLSearchParams({ [k]: v.toWellFormed() })}`;
      const answers = [
        await call(entryGet, q("t", a), {
          headers: { ...visitor(), cookie: `ot_privacy=${encodeURIComponent(c.toWellFormed())}` },
        }),
        await call(entryGet, q("w", b), { headers: visitor() }),
        await open(a),
        await askForLink(b, c).then((res) => ({ res })),
        {
          res: await call(channelsRoute, "/privacy/preferences/me/channels", {
            body: { channel: a, allowed: b },
            headers: { ...visitor(), cookie: `ot_privacy=${encodeURIComponent(c.toWellFormed())}` },
          }),
        },
      ].map((x) => ("res" in x ? x.res.status : x.status));
      for (const status of answers) expect(status).toBeLessThan(500);
    }),
    { numRuns: 60 },
  );
  expect(await db.preferenceToken.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
  expect(await db.outboxEmail.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});
