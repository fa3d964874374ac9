import { afterAll, expect, test } from "vitest";
import { POST as sendRoute } from "../../app/api/v1/emails/route.ts";
import { GET as getLink } from "../../app/l/[code]/route.ts";
import { GET as getUnsubscribe, POST as postUnsubscribe } from "../../app/u/[token]/route.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { decrypt } from "../../lib/crypto/keys.ts";
import { readUnsubscribeToken, signUnsubscribeToken } from "../../lib/emails/unsubscribe-token.ts";
import { mergeProfiles } from "../../lib/identity/merge-profiles.ts";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { resendLimits } from "../../lib/integrations/resend/client.ts";
import { readPreferencesToken } from "../../lib/privacy/preferences/tokens.ts";
import { createApiKey } from "../../lib/workspaces/api-keys.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { startFakeResend } from "../support/fake-resend.ts";
import { expectScopeMigration, SCOPES_BEFORE_SENDS } from "../support/scope-migration.ts";
import { testWorkspace } from "../support/workspace.ts";

const fake = await startFakeResend();
process.env.RESEND_API_BASE = fake.origin;
resetEnvCache();
afterAll(async () => {
  await fake.close();
  delete process.env.RESEND_API_BASE;
  resetEnvCache();
});

const { db } = await useTestDb();
type Ctx = { params: Promise<Record<string, string>> };
const follow = (req: Request, ctx?: Ctx) => getLink(req, ctx as Parameters<typeof getLink>[1]);
const unsubscribePageRoute = (req: Request, ctx?: Ctx) =>
  getUnsubscribe(req, ctx as Parameters<typeof getUnsubscribe>[1]);
const unsubscribeRoute = (req: Request, ctx?: Ctx) =>
  postUnsubscribe(req, ctx as Parameters<typeof postUnsubscribe>[1]);
const a = await testWorkspace(db);
const b = await testWorkspace(db);
const API_KEY = "re_WorkspaceA_SendKey_001";
const FROM = "Acme Movers <hello@mail.acme.test>";
await connectIntegration(db, a.workspaceId, "resend", {
  apiKey: API_KEY,
  webhookSecret: "whsec_V29ya3NwYWNlQVNpZ25pbmcwMDAx",
  from: FROM,
});

async function person(ws: typeof a, identity: Record<string, string>) {
  const [r] = await ws.ingest([
    { source: "webhook", type: "crm_updated", occurredAt: new Date().toISOString(), identity },
  ]);
  return r?.profileId as string;
}
const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  call(sendRoute, "/api/v1/emails", { method: "POST", key, body, headers });
const HTML = `<html><body><p>Hi Ann, your quote is <a href="https://acme.test/quote?id=7&amp;utm_source=email">here</a>.</p>
<p><a href='https://acme.test/book'>Book now</a> · <a href="mailto:hello@acme.test">write to us</a></p></body></html>`;
const TEXT = "Hi Ann, your quote: https://acme.test/quote?id=7&utm_source=email. Book: https://acme.test/book";
const mail = (profileId: string, extra: Record<string, unknown> = {}) => ({
  profileId,
  subject: "Your moving quote",
  html: HTML,
  text: TEXT,
  ...extra,
});
/** The mail as written: without the privacy footer every mail ends with (docs/decisions/015). */
const FOOTER_HTML =
  /<p style="[^"]*"><a href="http:\/\/localhost:3000\/privacy\/preferences\?t=[A-Za-z0-9_-]+" style="[^"]*">Your data and privacy choices<\/a><\/p>/;
const FOOTER_TEXT =
  /\n\n--\nYour data and privacy choices: http:\/\/localhost:3000\/privacy\/preferences\?t=[A-Za-z0-9_-]+\n$/;
const unfooted = (s: string | undefined) => s?.replace(FOOTER_HTML, "").replace(FOOTER_TEXT, "");
const lastSent = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/emails").at(-1);
const sendsOf = (workspaceId: string) => db.emailSend.findMany({ where: { workspaceId }, orderBy: { sentAt: "asc" } });

test("sends through the workspace's Resend: one-click unsubscribe headers, open pixel, links through /l/, email_sent in the thread", async () => {
  const profileId = await person(a, { email: "Ann@Example.com" });
  fake.requests.length = 0;
  const res = await post(a.apiKey, mail(profileId, { purpose: "marketing" }));
  expect(res.status).toBe(201);
  expect(res.json).toEqual({ id: expect.any(String), providerId: expect.any(String) });
  expect(fake.requests).toHaveLength(1);
  const sent = lastSent();
  expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(sent?.headers["user-agent"]).toBe("resend-node:6.38.0");
  expect(sent?.headers["idempotency-key"]).toBe(`onethread-email-${res.json.id}`);
  const row = await db.emailSend.findUniqueOrThrow({ where: { id: res.json.id } });
  expect(row).toMatchObject({
    status: "sent",
    providerId: res.json.providerId,
    profileId,
    kind: "marketing",
    tracked: true,
    payloadEnc: null,
  });
  expect(sent?.body).toMatchObject({ from: FROM, to: ["ann@example.com"], subject: "Your moving quote" });
  expect(sent?.body.headers).toEqual({
    "List-Unsubscribe": `<http://localhost:3000/u/${row.unsubscribeToken}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  });
  const html: string = sent?.body.html;
  const text: string = sent?.body.text;
  expect(html).toContain(`<img src="http://localhost:3000/api/o/${row.token}" width="1" height="1" alt=""`);
  expect(html).not.toContain("https://acme.test/");
  expect(html).toContain('href="mailto:hello@acme.test"');
  const codes = [...html.matchAll(/http:\/\/localhost:3000\/l\/([0-9A-Za-z]+)/g)].map((m) => m[1]);
  expect(codes).toHaveLength(2);
  const footer = /\/privacy\/preferences\?t=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? "";
  expect(text).toBe(
    `Hi Ann, your quote: http://localhost:3000/l/${codes[0]}. Book: http://localhost:3000/l/${codes[1]}\n\n--\nUnsubscribe: http://localhost:3000/u/${row.unsubscribeToken}\nYour data and privacy choices: http://localhost:3000/privacy/preferences?t=${footer}\n`,
  );
  // P9: the person's own privacy page, signed for them and this workspace (a footer link, valid a year).
  expect(readPreferencesToken(footer)).toMatchObject({ purpose: "footer", workspaceId: a.workspaceId, profileId });
  expect(html).toContain(`href="http://localhost:3000/privacy/preferences?t=`);
  expect(html).toContain(`<a href="http://localhost:3000/u/${row.unsubscribeToken}"`);
  const links = await db.trackedLink.findMany({
    where: { workspaceId: a.workspaceId, code: { in: codes as string[] } },
  });
  expect(links.map((l) => [l.url, l.profileId, l.channel]).sort()).toEqual([
    ["https://acme.test/book", profileId, "email"],
    ["https://acme.test/quote?id=7&utm_source=email", profileId, "email"],
  ]);
  // The person's thread holds the mail as written (not its tracking links), sealed; the event names the send.
  const [event] = await db.event.findMany({ where: { workspaceId: a.workspaceId, type: "email_sent" } });
  expect(event).toMatchObject({ profileId, source: "email", channel: "email", clientId: `es_${row.id}` });
  expect(event?.properties).toMatchObject({ provider: "resend", messageId: res.json.providerId, purpose: "marketing" });
  expect(JSON.stringify(event?.properties)).not.toContain("quote");
  const message = await db.message.findFirstOrThrow({ where: { eventId: event?.id } });
  expect(message).toMatchObject({ direction: "out", status: "sent", externalId: res.json.providerId });
  expect(decrypt(message.bodyEnc as string)).toBe(TEXT);
  // A click on the mail's link is the person's (and joins the clicking device, R14).
  const click = await call(follow, `/l/${codes[1]}`, {
    params: { code: codes[1] as string },
    headers: { "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15" },
  });
  expect(click.status).toBe(302);
  expect(click.headers.get("location")).toMatch(/^https:\/\/acme\.test\/book\?ot_c=/);
  expect(await db.event.count({ where: { profileId, type: "link_clicked" } })).toBe(1);
});

test("html only: the thread gets its text; text only: no pixel, its links still tracked", async () => {
  const profileId = await person(a, { email: "html.only@example.com" });
  const res = await post(a.apiKey, { profileId, subject: "Hello", html: "<p>Hello <b>there</b></p>" });
  expect(res.status).toBe(201);
  expect(unfooted(lastSent()?.body.html)).toMatch(
    /^<p>Hello <b>there<\/b><\/p><img src="http:\/\/localhost:3000\/api\/o\//,
  );
  expect(lastSent()?.body.html).toMatch(FOOTER_HTML);
  expect(lastSent()?.body.text).toBeUndefined();
  const message = await db.message.findFirstOrThrow({ where: { profileId } });
  expect(decrypt(message.bodyEnc as string)).toBe("Hello there");
  const textOnly = await post(a.apiKey, { profileId, subject: "Hi", text: "See https://acme.test/x" });
  expect(textOnly.status).toBe(201);
  expect(lastSent()?.body.html).toBeUndefined();
  expect(unfooted(lastSent()?.body.text)).toMatch(/^See http:\/\/localhost:3000\/l\/[0-9A-Za-z]+$/);
  expect(lastSent()?.body.text).toMatch(FOOTER_TEXT);
});

test("P8: no pixel and no rewritten links for a consent-regime recipient who has not consented", async () => {
  const eu = await testWorkspace(db, { country: "DE", timezone: "Europe/Berlin" });
  await connectIntegration(db, eu.workspaceId, "resend", {
    apiKey: "re_EuWorkspace_0000001",
    webhookSecret: "whsec_RXVXb3Jrc3BhY2VTaWduaW5nMDAx",
    from: "hallo@mail.umzug.test",
  });
  const profileId = await person(eu, { email: "jonas@example.de" });
  const res = await post(eu.apiKey, mail(profileId));
  expect(res.status).toBe(201);
  const sent = lastSent();
  expect(unfooted(sent?.body.html)).toBe(HTML);
  expect(unfooted(sent?.body.text)).toBe(TEXT);
  expect(sent?.body.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: res.json.id } })).tracked).toBe(false);
  expect(await db.trackedLink.count({ where: { workspaceId: eu.workspaceId } })).toBe(0);
  // Once they accept the banner, their mail is tracked.
  await db.consentRecord.create({ data: { workspaceId: eu.workspaceId, profileId, choice: "granted", country: "DE" } });
  await post(eu.apiKey, mail(profileId));
  expect(lastSent()?.body.html).toContain("/api/o/");
  // In a US workspace: a person with an EU phone number, or whose banner choice came from the EU, is in the regime.
  const french = await person(a, { email: "claire@example.fr", phone: "+33 6 12 34 56 78" });
  await post(a.apiKey, mail(french));
  expect(unfooted(lastSent()?.body.html)).toBe(HTML);
  const visitor = await person(a, { email: "visitor@example.com" });
  await db.consentRecord.create({
    data: { workspaceId: a.workspaceId, profileId: visitor, choice: "denied", country: "IT" },
  });
  await post(a.apiKey, mail(visitor));
  expect(unfooted(lastSent()?.body.html)).toBe(HTML);
});

test("refused with nothing sent: opted_out, no_email, integration_missing; another workspace's person is a 404", async () => {
  const before = fake.requests.length;
  const rows = (await sendsOf(a.workspaceId)).length;
  const out = await person(a, { email: "out@example.com" });
  const ident = await db.identifier.findFirstOrThrow({ where: { profileId: out, type: "email" } });
  await db.suppression.create({
    data: { workspaceId: a.workspaceId, type: "email", hash: ident.hash, scope: "email", reason: "api" },
  });
  const refused = await post(a.apiKey, mail(out));
  expect(refused.status).toBe(409);
  expect(refused.json.error.code).toBe("opted_out");
  const phoneOnly = await person(a, { phone: "+18055550111" });
  const noEmail = await post(a.apiKey, mail(phoneOnly));
  expect(noEmail.status).toBe(422);
  expect(noEmail.json.error.code).toBe("no_email");
  const theirs = await person(b, { email: "b.person@example.com" });
  const missing = await post(b.apiKey, mail(theirs));
  expect(missing.status).toBe(409);
  expect(missing.json.error.code).toBe("integration_missing");
  for (const id of [theirs, "00000000-0000-7000-8000-000000000000", "nope"]) {
    const res = await post(a.apiKey, mail(id));
    expect(res.status, id).toBe(404);
  }
  expect(fake.requests.length).toBe(before);
  expect((await sendsOf(a.workspaceId)).length).toBe(rows);
});

test("Resend's error, a timeout or no Resend at all: 502 provider_error with its message, the attempt recorded", async () => {
  const profileId = await person(a, { email: "err@example.com" });
  fake.state.fail = { statusCode: 422, name: "invalid_from_address", message: "Invalid `from` field." };
  try {
    const res = await post(a.apiKey, mail(profileId));
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe("provider_error");
    expect(res.json.error.message).toBe("Resend refused the email: Invalid `from` field.");
  } finally {
    fake.state.fail = null;
  }
  const [failed] = await db.emailSend.findMany({ where: { profileId } });
  expect(failed).toMatchObject({
    status: "failed",
    providerId: null,
    error: "Resend refused the email: Invalid `from` field.",
  });
  expect(await db.event.count({ where: { profileId, type: "email_sent" } })).toBe(0);
  fake.state.hang = true;
  resendLimits.timeoutMs = 300;
  try {
    const res = await post(a.apiKey, mail(profileId));
    expect(res.status).toBe(502);
    expect(res.json.error.message).toMatch(/did not answer in time/);
  } finally {
    fake.state.hang = false;
    resendLimits.timeoutMs = 10_000;
  }
  process.env.RESEND_API_BASE = "http://127.0.0.1:9";
  resetEnvCache();
  try {
    const res = await post(a.apiKey, mail(profileId));
    expect(res.status).toBe(502);
    expect(res.json.error.message).toMatch(/could not be reached/);
  } finally {
    process.env.RESEND_API_BASE = fake.origin;
    resetEnvCache();
  }
  expect((await db.emailSend.findMany({ where: { profileId } })).map((s) => s.status)).toEqual([
    "failed",
    "failed",
    "failed",
  ]);
});

test("Idempotency-Key: the same key answers the same send; a retry after a timeout re-sends the very request, one mail", async () => {
  const profileId = await person(a, { email: "idem@example.com" });
  const first = await post(a.apiKey, mail(profileId), { "idempotency-key": "quote-7" });
  const count = fake.requests.length;
  const again = await post(a.apiKey, mail(profileId), { "idempotency-key": "quote-7" });
  expect(again.status).toBe(201);
  expect(again.json).toEqual(first.json);
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  expect(fake.requests.length).toBe(count);
  const other = await post(a.apiKey, mail(profileId, { subject: "Another" }), { "idempotency-key": "quote-7" });
  expect(other.status).toBe(409);
  expect(other.json.error.code).toBe("conflict");
  const bad = await post(a.apiKey, mail(profileId), { "idempotency-key": "has space" });
  expect(bad.status).toBe(400);
  // Resend takes the mail but answers after the timeout: 502, then the same key sends the same bytes with the
  // same Resend Idempotency-Key, and Resend answers the mail it already has.
  fake.state.delayMs = 600;
  resendLimits.timeoutMs = 200;
  let timedOut: Awaited<ReturnType<typeof post>>;
  try {
    timedOut = await post(a.apiKey, mail(profileId, { subject: "Late" }), { "idempotency-key": "late-1" });
  } finally {
    fake.state.delayMs = 0;
    resendLimits.timeoutMs = 10_000;
  }
  expect(timedOut.status).toBe(502);
  const retried = await post(a.apiKey, mail(profileId, { subject: "Late" }), { "idempotency-key": "late-1" });
  expect(retried.status).toBe(201);
  const attempts = fake.requests.filter((r) => r.body?.subject === "Late");
  expect(attempts).toHaveLength(2);
  expect(attempts[1]?.body).toEqual(attempts[0]?.body);
  expect(attempts[1]?.headers["idempotency-key"]).toBe(attempts[0]?.headers["idempotency-key"]);
  const rows = await db.emailSend.findMany({ where: { profileId, subject: "Late" } });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: "sent", providerId: retried.json.providerId, error: null });
  expect(await db.event.count({ where: { profileId, type: "email_sent" } })).toBe(2);
});

test("one-click unsubscribe (RFC 8058): POST /u/{token} without a cookie opts the address out of that purpose at once", async () => {
  const profileId = await person(a, { email: "unsub@example.com" });
  const res = await post(a.apiKey, mail(profileId, { purpose: "marketing" }));
  const header: string = lastSent()?.body.headers["List-Unsubscribe"];
  const url = /^<(.+)>$/.exec(header)?.[1] as string;
  const token = url.split("/u/")[1] as string;
  const page = await call(unsubscribePageRoute, `/u/${token}`, { params: { token } });
  expect(page.status).toBe(200);
  expect(page.text).toContain("Stop getting marketing emails from");
  expect(await db.suppression.count({ where: { workspaceId: a.workspaceId, reason: "unsubscribe_link" } })).toBe(0);
  const oneClick = await call(unsubscribeRoute, `/u/${token}`, {
    method: "POST",
    raw: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    params: { token },
  });
  expect(oneClick.status).toBe(200);
  expect(oneClick.text).toBe("");
  const row = await db.emailSend.findUniqueOrThrow({ where: { id: res.json.id } });
  expect(await db.suppression.findMany({ where: { workspaceId: a.workspaceId, hash: row.toHash as string } })).toEqual([
    expect.objectContaining({ type: "email", scope: "email:marketing", reason: "unsubscribe_link" }),
  ]);
  expect(await db.privacyRequest.findMany({ where: { workspaceId: a.workspaceId, profileId } })).toEqual([
    expect.objectContaining({ kind: "opt_out", via: "unsubscribe", status: "done" }),
  ]);
  expect(await db.event.count({ where: { profileId, type: "unsubscribed" } })).toBe(1);
  // The next marketing mail is refused; transactional mail still goes.
  const refused = await post(a.apiKey, mail(profileId, { purpose: "marketing" }));
  expect(refused.status).toBe(409);
  expect(refused.json.error.code).toBe("opted_out");
  expect((await post(a.apiKey, mail(profileId, { purpose: "transactional" }))).status).toBe(201);
  // Again (a multipart one-click): 200, nothing new. The page now says it is done.
  const multipart = await call(unsubscribeRoute, `/u/${token}`, {
    method: "POST",
    raw: '--b\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b--\r\n',
    headers: { "content-type": "multipart/form-data; boundary=b" },
    params: { token },
  });
  expect(multipart.status).toBe(200);
  expect(await db.suppression.count({ where: { workspaceId: a.workspaceId, hash: row.toHash as string } })).toBe(1);
  expect(await db.event.count({ where: { profileId, type: "unsubscribed" } })).toBe(1);
  expect((await call(unsubscribePageRoute, `/u/${token}`, { params: { token } })).text).toContain(
    "You're unsubscribed",
  );
  // Unknown tokens, bodies that ask nothing: nothing changes.
  const unknown = await call(unsubscribeRoute, "/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {
    method: "POST",
    raw: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    params: { token: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
  });
  expect(unknown.status).toBe(404);
  const empty = await call(unsubscribeRoute, `/u/${token}`, { method: "POST", raw: "", params: { token } });
  expect(empty.status).toBe(400);
  expect((await call(unsubscribePageRoute, "/u/x", { params: { token: "x" } })).status).toBe(404);
});

test("P8: the unsubscribe link is a signed token naming workspace, mail, person and purpose; forged ones change nothing; old random links still work", async () => {
  const profileId = await person(a, { email: "signed@example.com" });
  const res = await post(a.apiKey, mail(profileId, { purpose: "marketing" }));
  const token = (/\/u\/([^>]+)>/.exec(lastSent()?.body.headers["List-Unsubscribe"]) ?? [])[1] as string;
  expect(readUnsubscribeToken(token)).toEqual({
    workspaceId: a.workspaceId,
    emailSendId: res.json.id,
    profileId,
    purpose: "marketing",
  });
  const oneClick = (t: string) =>
    call(unsubscribeRoute, `/u/${t}`, {
      method: "POST",
      raw: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      params: { token: t },
    });
  // Forged: the payload names another mail under the original tag; re-signed for another workspace it can't be.
  const raw = Buffer.from(token, "base64url");
  raw[30] = (raw[30] as number) ^ 0xff;
  const forged = raw.toString("base64url");
  expect((await oneClick(forged)).status).toBe(404);
  const page = await call(unsubscribePageRoute, `/u/${forged}`, { params: { token: forged } });
  expect(page.status).toBe(404);
  expect(page.text).toContain("This unsubscribe link is not valid");
  // A token signed for another workspace's mail id that exists in this one: the workspace must match.
  const other = signUnsubscribeToken({
    workspaceId: b.workspaceId,
    emailSendId: res.json.id,
    profileId,
    purpose: "marketing",
  });
  expect((await oneClick(other)).status).toBe(404);
  const { toHash } = await db.emailSend.findUniqueOrThrow({ where: { id: res.json.id } });
  expect(await db.suppression.count({ where: { hash: toHash as string } })).toBe(0);
  expect(await db.privacyRequest.count({ where: { profileId } })).toBe(0);
  // A mail sent before the links were signed (a random stored token) still unsubscribes.
  const legacy = await db.emailSend.update({
    where: { id: res.json.id },
    data: { unsubscribeToken: "LegacyRandomToken_0123456789abcdef" },
  });
  expect((await oneClick(legacy.unsubscribeToken as string)).status).toBe(200);
  expect(
    await db.suppression.count({
      where: { workspaceId: a.workspaceId, hash: legacy.toHash as string, scope: "email:marketing" },
    }),
  ).toBe(1);
  // The signed link of the same mail says it is done, and does nothing twice.
  expect((await oneClick(token)).status).toBe(200);
  expect(await db.privacyRequest.count({ where: { profileId } })).toBe(1);
});

test("the page's button on a transactional mail's link stops transactional and marketing mail to that address", async () => {
  const profileId = await person(a, { email: "tx@example.com" });
  await post(a.apiKey, mail(profileId, { purpose: "transactional" }));
  expect(lastSent()?.body.text).not.toContain("Unsubscribe"); // the header, but no footer: not marketing
  const token = (/\/u\/([^>]+)>/.exec(lastSent()?.body.headers["List-Unsubscribe"]) ?? [])[1] as string;
  const res = await call(unsubscribeRoute, `/u/${token}`, {
    method: "POST",
    raw: "via=page",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    params: { token },
  });
  expect(res.status).toBe(200);
  expect(res.text).toContain("You're unsubscribed");
  expect((await post(a.apiKey, mail(profileId, { purpose: "transactional" }))).json.error.code).toBe("opted_out");
  expect((await post(a.apiKey, mail(profileId, { purpose: "marketing" }))).json.error.code).toBe("opted_out");
});

test("a merged-away profile id is followed; bad bodies are 400s naming the field; the scope is emails:write", async () => {
  const older = await person(a, { email: "older@example.com" });
  const newer = await person(a, { email: "newer@example.com" });
  await mergeProfiles(db, a.workspaceId, older, newer);
  const res = await post(a.apiKey, mail(newer));
  expect(res.status).toBe(201);
  expect((await db.emailSend.findUniqueOrThrow({ where: { id: res.json.id } })).profileId).toBe(older);
  const count = fake.requests.length;
  for (const [change, path] of [
    [{ html: undefined, text: undefined }, "text"],
    [{ html: " ", text: "" }, "text"],
    [{ subject: "" }, "subject"],
    [{ subject: "a\nBcc: x@y.test" }, "subject"],
    [{ purpose: "newsletter" }, "purpose"],
    [{ extra: 1 }, ""],
  ] as const) {
    const bad = await post(a.apiKey, { ...mail(older), ...change });
    expect(bad.status, JSON.stringify(change)).toBe(400);
    if (path) expect(bad.json.error.details.map((d: { path: string }) => d.path)).toContain(path);
  }
  expect(fake.requests.length).toBe(count);
  const narrow = await createApiKey(db, a.workspaceId, "links only", null, ["links:write"]);
  const forbidden = await post(narrow.key, mail(older));
  expect(forbidden.status).toBe(403);
  expect(forbidden.json.error.message).toContain("emails:write");
  await expectScopeMigration(db, a.workspaceId, {
    migration: "resend_emails",
    before: SCOPES_BEFORE_SENDS,
    added: "emails:write",
    tag: "emails",
  });
});
