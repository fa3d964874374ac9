// P7 across app instances: two app processes of their own (tests/support/app-child.ts: each with its own
// caches, pools and ingest drainer) serve the real route handlers over HTTP on one database. A person is
// opted out through one of them; one second later the other ingests their events and tries to send to them.
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { connectIntegration } from "../../lib/integrations/connect-integration.ts";
import { useTestDb } from "../support/db.ts";
import { startFakeTwilio } from "../support/fake-twilio.ts";
import { testWorkspace } from "../support/workspace.ts";

const SID = `AC${"a7".repeat(16)}`;
const TOKEN = "0123456789abcdef0123456789abcdef";
const fake = await startFakeTwilio({ [SID]: TOKEN });
const { db, url } = await useTestDb();
const w = await testWorkspace(db);
await connectIntegration(db, w.workspaceId, "twilio", {
  accountSid: SID,
  authToken: TOKEN,
  fromNumber: "+18055550199",
  whatsappFrom: "whatsapp:+14155238886",
});

interface Instance {
  child: ChildProcess;
  origin: string;
}
const instances: Instance[] = [];

function startInstance(): Promise<Instance> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/app-child.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: url, TWILIO_API_BASE: fake.origin },
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the instance did not start: ${stderr}`)), 60_000);
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const port = /LISTENING (\d+)/.exec(out)?.[1];
      if (!port) return;
      clearTimeout(timer);
      const instance = { child, origin: `http://127.0.0.1:${port}` };
      instances.push(instance);
      resolve(instance);
    });
    child.once("exit", (code) => reject(new Error(`the instance exited ${code}: ${stderr}`)));
  });
}

let one: Instance;
let other: Instance;
beforeAll(async () => {
  [one, other] = await Promise.all([startInstance(), startInstance()]);
}, 90_000);
afterAll(async () => {
  for (const i of instances) {
    i.child.kill("SIGTERM");
    await new Promise((r) => i.child.once("exit", r));
  }
  await fake.close();
});

async function http(instance: Instance, method: string, path: string, body?: unknown, headers = {}) {
  const res = await fetch(`${instance.origin}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${w.apiKey}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const UA = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36" };
const collect = (instance: Instance, deviceId: string, events: object[]) =>
  fetch(`${instance.origin}/api/collect`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", ...UA },
    body: JSON.stringify({ site: w.siteKey, deviceId, events }),
  }).then((r) => r.status);
const events = (instance: Instance, list: object[]) => http(instance, "POST", "/api/v1/events", { events: list });
const at = () => new Date().toISOString();

/** The collect path answers once its events are logged; the other instance's drainer stores them moments later. */
async function drained() {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "IngestLog"`);
    if (row?.n === 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the ingest log was not drained within 10 s");
}

let people = 0;
/** A known person: email, phone and a device, with a web visit already stored through `instance`. */
async function person(instance: Instance, tag: string) {
  const identity = { email: `${tag}@optout.test`, phone: `+1805555${String(1100 + ++people)}` };
  const res = await events(instance, [
    {
      id: `${tag}_id`,
      source: "web",
      type: "identify",
      occurredAt: at(),
      identity: { ...identity, deviceId: `d_${tag}` },
    },
  ]);
  expect(res.status).toBe(200);
  expect(
    await collect(instance, `d_${tag}`, [
      { id: `${tag}_warm`, type: "page_view", ts: Date.now(), url: "https://acme.test/" },
    ]),
  ).toBe(202);
  await drained();
  expect(
    await db.event.count({
      where: { workspaceId: w.workspaceId, clientId: `${tag}_warm`, profileId: res.json.results[0].profileId },
    }),
  ).toBe(1);
  return { profileId: res.json.results[0].profileId as string, ...identity, deviceId: `d_${tag}` };
}

/** One second after `since`, as P7 says: no sooner (a cache shorter than that would pass a quicker test). */
const oneSecondAfter = (since: number) => new Promise((r) => setTimeout(r, Math.max(0, since + 1000 - Date.now())));

test("P7: opted out of everything on one instance, one second later the other drops their events and refuses every send", async () => {
  const p = await person(other, "p7all");
  // The other instance has sent to them already: whatever it keeps about the workspace is warm.
  expect(
    (await http(other, "POST", "/api/v1/messages", { profileId: p.profileId, channel: "sms", body: "Hi" })).status,
  ).toBe(201);

  const res = await http(one, "POST", `/api/v1/profiles/${p.profileId}/opt-out`, { channels: ["all"] });
  const optedOutAt = Date.now();
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ optedOut: ["all"] });
  await oneSecondAfter(optedOutAt);

  const later = await events(other, [
    { id: "p7all_email", source: "webhook", type: "crm_updated", occurredAt: at(), identity: { email: p.email } },
    {
      id: "p7all_sms",
      source: "channel",
      type: "message_in",
      channel: "sms",
      occurredAt: at(),
      identity: { phone: p.phone },
      properties: { body: "hello?" },
    },
  ]);
  expect(later.json.results.map((r: { profileId: string | null }) => r.profileId)).toEqual([null, null]);
  expect(
    await collect(other, p.deviceId, [
      { id: "p7all_web", type: "page_view", ts: Date.now(), url: "https://acme.test/pricing" },
    ]),
  ).toBe(202);
  await drained();
  expect(Date.now() - optedOutAt, "all of it within 60 s of the opt-out").toBeLessThan(60_000);
  expect(
    await db.event.count({
      where: { workspaceId: w.workspaceId, clientId: { in: ["p7all_email", "p7all_sms", "p7all_web"] } },
    }),
  ).toBe(0);

  fake.requests.length = 0;
  for (const channel of ["sms", "whatsapp"]) {
    const send = await http(other, "POST", "/api/v1/messages", {
      profileId: p.profileId,
      channel,
      body: "Still there?",
    });
    expect(send.status, channel).toBe(409);
    expect(send.json.error.code).toBe("opted_out");
  }
  expect(fake.requests).toHaveLength(0);
  // The other instance's own view of the person says so too.
  expect((await http(other, "GET", `/api/v1/profiles/${p.profileId}`)).json.optedOut).toBe(true);
});

test("P7: opted out of tracking on one instance, one second later the other stores their visits tied to nobody; messages still join them", async () => {
  const p = await person(other, "p7trk");
  const before = await db.profile.findUniqueOrThrow({ where: { id: p.profileId }, select: { eventCount: true } });
  const res = await http(one, "POST", `/api/v1/profiles/${p.profileId}/opt-out`, { channels: ["tracking"] });
  const optedOutAt = Date.now();
  expect(res.json).toEqual({ optedOut: ["tracking"] });
  await oneSecondAfter(optedOutAt);

  expect(
    await collect(other, p.deviceId, [
      { id: "p7trk_web", type: "page_view", ts: Date.now(), url: "https://acme.test/pricing?utm_source=x" },
    ]),
  ).toBe(202);
  await drained();
  const web = await events(other, [
    {
      id: "p7trk_form",
      source: "web",
      type: "form_submit",
      occurredAt: at(),
      identity: { email: p.email },
      properties: { form: "quote" },
    },
    {
      id: "p7trk_sms",
      source: "channel",
      type: "message_in",
      channel: "sms",
      occurredAt: at(),
      identity: { phone: p.phone },
      properties: { body: "Can you move us Friday?" },
    },
  ]);
  expect(web.json.results.map((r: { profileId: string | null }) => r.profileId)).toEqual([null, p.profileId]);
  const stripped = await db.event.findMany({
    where: { workspaceId: w.workspaceId, clientId: { in: ["p7trk_web", "p7trk_form"] } },
    select: { profileId: true, identityHashes: true, properties: true },
  });
  expect(stripped).toHaveLength(2);
  for (const e of stripped) {
    expect(e.profileId).toBeNull();
    expect(e.identityHashes).toEqual([]);
  }
  // Counted (a page view of /pricing) but tied to nobody; their message is theirs as before.
  expect(stripped.map((e) => (e.properties as { url?: string }).url)).toContain("/pricing?utm_source=x");
  const after = await db.profile.findUniqueOrThrow({ where: { id: p.profileId }, select: { eventCount: true } });
  expect(after.eventCount).toBe(before.eventCount + 1);
  // Tracking is no send channel: the business may still text them.
  expect(
    (await http(other, "POST", "/api/v1/messages", { profileId: p.profileId, channel: "sms", body: "Friday works" }))
      .status,
  ).toBe(201);
});

test("P7: an opt-in on one instance is honoured by the other one second later; a channel opt-out stops that channel only", async () => {
  const p = await person(other, "p7in");
  await http(one, "POST", `/api/v1/profiles/${p.profileId}/opt-out`, { channels: ["sms", "all"] });
  const res = await http(one, "POST", `/api/v1/profiles/${p.profileId}/opt-in`, { channels: ["all"] });
  expect(res.json).toEqual({ optedOut: [] });
  const optedInAt = Date.now();
  await oneSecondAfter(optedInAt);
  expect(
    (
      await events(other, [
        { id: "p7in_back", source: "webhook", type: "crm_updated", occurredAt: at(), identity: { email: p.email } },
      ])
    ).json.results[0].profileId,
  ).toBe(p.profileId);

  expect((await http(one, "POST", `/api/v1/profiles/${p.profileId}/opt-out`, { channels: ["sms"] })).json).toEqual({
    optedOut: ["sms"],
  });
  await oneSecondAfter(Date.now());
  expect(
    (await http(other, "POST", "/api/v1/messages", { profileId: p.profileId, channel: "sms", body: "x" })).json.error
      .code,
  ).toBe("opted_out");
  expect(
    (await http(other, "POST", "/api/v1/messages", { profileId: p.profileId, channel: "whatsapp", body: "x" })).status,
  ).toBe(201);
  expect(
    (
      await events(other, [
        { id: "p7in_sms", source: "webhook", type: "crm_updated", occurredAt: at(), identity: { phone: p.phone } },
      ])
    ).json.results[0].profileId,
  ).toBe(p.profileId);
});
