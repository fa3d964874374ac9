import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { Webhook } from "standardwebhooks";
import { afterAll, expect, test, vi } from "vitest";
import { PATCH as markNudgeRoute } from "../../app/api/app/[workspace]/nudges/[id]/route.ts";
import { PATCH as patchNudgeSettings } from "../../app/api/app/[workspace]/settings/nudges/route.ts";
import { POST as postEvents } from "../../app/api/v1/events/route.ts";
import { GET as getNudges } from "../../app/api/v1/nudges/route.ts";
import { POST as mergeRoute } from "../../app/api/v1/profiles/[id]/merge/route.ts";
import { DELETE as profileDelete } from "../../app/api/v1/profiles/[id]/route.ts";
import type { SessionUser } from "../../lib/auth/session.ts";
import { resetEnvCache } from "../../lib/config/env.ts";
import { nudgeHookStats } from "../../lib/nudges/nudge-on-ingest.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";
import { testWorkspace } from "../support/workspace.ts";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("../../lib/auth/session.ts", () => ({ getSessionUser: async () => session.user }));

const run = promisify(execFile);
const { db, url } = await useTestDb();

/** `npm run cli -- jobs run nudges --now ISO`, as an operator runs it. */
async function jobAt(now: Date) {
  const base = { ...process.env, DATABASE_URL: url };
  const { stdout } = await run(
    "npx",
    ["--no-install", "tsx", "scripts/cli.ts", "jobs", "run", "nudges", "--now", now.toISOString()],
    {
      env: base,
      timeout: 120_000,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) as string);
}

async function workspace() {
  const w = await testWorkspace(db);
  const as = () => {
    session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  };
  return {
    ...w,
    settings: async (body: unknown) => {
      as();
      const res = await call(patchNudgeSettings, `/api/app/${w.slug}/settings/nudges`, {
        method: "PATCH",
        params: { workspace: w.slug },
        body,
      });
      expect(res.status, res.text).toBe(200);
      return res.json;
    },
    send: async (events: unknown[]) => {
      const res = await call(postEvents, "/api/v1/events", { key: w.apiKey, body: { events } });
      expect(res.status, res.text).toBe(200);
      return res.json.results as { id: string; profileId: string | null }[];
    },
    nudges: async (query = "status=all") => {
      const res = await call(getNudges, `/api/v1/nudges?${query}`, { key: w.apiKey });
      expect(res.status, res.text).toBe(200);
      return res.json.nudges as { id: string; rule: string; person: { id: string }; doneAt: string | null }[];
    },
  };
}

let n = 0;
const id = (p: string) => `${p}_${++n}`;
const at = (base: number, minutes: number) => new Date(base + minutes * 60_000).toISOString();
const view = (email: string | null, device: string, when: string, path = "/pricing/") => ({
  id: id("pv"),
  source: "web",
  type: "page_view",
  occurredAt: when,
  identity: email ? { deviceId: device, email } : { deviceId: device },
  properties: { url: `https://acme.test${path}?utm_source=google` },
});
const evt = (type: string, source: string, email: string, when: string, extra: Record<string, unknown> = {}) => ({
  id: id(type),
  source,
  type,
  occurredAt: when,
  identity: { email },
  ...extra,
});

test("customer returns to /pricing/: once per person, only when on, only for an identified person on another visit", async () => {
  const w = await workspace();
  const t = Date.now();
  // Off: two visits to pricing, nothing.
  await w.send([view("jo@x.test", "d-jo", at(t, 0)), view("jo@x.test", "d-jo", at(t, 90))]);
  expect(await w.nudges()).toHaveLength(0);

  await w.settings({ rules: { pricing_return: true } });
  await w.send([view("jo@x.test", "d-jo", at(t, 200))]);
  await w.send([view("jo@x.test", "d-jo", at(t, 400)), view("jo@x.test", "d-jo", at(t, 600))]);
  // Same visit (10 minutes apart), another page, an anonymous returning device: nothing.
  await w.send([view("al@x.test", "d-al", at(t, 200)), view("al@x.test", "d-al", at(t, 210))]);
  await w.send([view("bo@x.test", "d-bo", at(t, 200)), view("bo@x.test", "d-bo", at(t, 300), "/about/")]);
  await w.send([view(null, "d-anon", at(t, 200)), view(null, "d-anon", at(t, 300))]);
  await w.send([view("cy@x.test", "d-cy", at(t, 200), "/pricings")]);
  await w.send([view("cy@x.test", "d-cy", at(t, 300), "/pricings")]);
  const all = await w.nudges();
  expect(all.map((x) => x.rule)).toEqual(["pricing_return"]);
  const jo = await db.nudge.findFirstOrThrow({ where: { workspaceId: w.workspaceId } });
  expect(jo.occurrence).toBe("");

  // A configured path: /plans, not /pricing any more.
  await w.settings({ pricingPath: "https://acme.test/Plans/" });
  await w.send([
    view("di@x.test", "d-di", at(t, 200), "/pricing/"),
    view("di@x.test", "d-di", at(t, 300), "/pricing/"),
  ]);
  await w.send([
    view("di@x.test", "d-di", at(t, 400), "/plans/teams"),
    view("di@x.test", "d-di", at(t, 500), "/plans"),
  ]);
  expect((await w.nudges()).length).toBe(2);

  // Switched off again: nothing more.
  await w.settings({ rules: { pricing_return: false } });
  await w.send([view("ed@x.test", "d-ed", at(t, 200), "/plans"), view("ed@x.test", "d-ed", at(t, 300), "/plans")]);
  expect((await w.nudges()).length).toBe(2);
});

test("concurrent ingest across two batches: the two pricing views of each person fire exactly one nudge", async () => {
  const w = await workspace();
  await w.settings({ rules: { pricing_return: true } });
  const t = Date.now();
  const people = Array.from({ length: 12 }, (_, i) => `p${i}@race.test`);
  for (let round = 0; round < 3; round++) {
    const a = people.map((e) => view(e, `dev-${e}`, at(t, round * 100)));
    const b = people.map((e) => view(e, `dev-${e}`, at(t, round * 100 + 45)));
    await Promise.all([w.send(a), w.send(b)]);
  }
  const nudges = await db.nudge.findMany({ where: { workspaceId: w.workspaceId } });
  expect(nudges).toHaveLength(people.length);
  expect(new Set(nudges.map((x) => x.profileId)).size).toBe(people.length);
});

test("the hot path: a batch of 100 costs one nudge statement per transaction, none without a pricing view, and no query while off", async () => {
  const w = await workspace();
  let k = 0;
  // Each round: 100 new people, each with an earlier pricing view an hour before, so every view fires.
  const batch = (path: string) => {
    k++;
    const t = Date.now() + 1_000; // after the rule's switch-on time
    return Array.from({ length: 100 }, (_, i) => [
      view(`h${k}.${i}@hot.test`, `dh${k}.${i}`, at(t, -60), path),
      view(`h${k}.${i}@hot.test`, `dh${k}.${i}`, at(t, 0), path),
    ]);
  };
  const round = async (path: string) => {
    const pairs = batch(path);
    await w.send(pairs.map((p) => p[0]));
    const before = { ...nudgeHookStats };
    const started = performance.now();
    await w.send(pairs.map((p) => p[1]));
    return {
      ms: performance.now() - started,
      lookups: nudgeHookStats.lookups - before.lookups,
      statements: nudgeHookStats.statements - before.statements,
      statementMs: nudgeHookStats.ms - before.ms,
    };
  };
  await round("/pricing/"); // warm
  // Alternating rounds, rule off and on, so the machine's load falls on both alike.
  const off: Awaited<ReturnType<typeof round>>[] = [];
  const on: Awaited<ReturnType<typeof round>>[] = [];
  for (let r = 0; r < 6; r++) {
    await w.settings({ rules: { pricing_return: r % 2 === 1 } });
    (r % 2 ? on : off).push(await round("/pricing/"));
  }
  const other = await round("/about/");
  const sum = (xs: { statements: number }[]) => xs.reduce((n, x) => n + x.statements, 0);
  expect(sum(off)).toBe(0);
  // One per transaction (the group commit may write a request's people in two), never one per event.
  expect(sum(on)).toBeGreaterThanOrEqual(3);
  expect(sum(on)).toBeLessThanOrEqual(6);
  expect(other.statements).toBe(0);
  expect(await db.nudge.count({ where: { workspaceId: w.workspaceId } })).toBe(300);
  const median = (xs: { ms: number }[]) =>
    xs
      .map((x) => x.ms)
      .sort((a, b) => a - b)
      [Math.floor(xs.length / 2)]?.toFixed(1);
  console.info(
    `nudges hot path, a batch of 100 returning people's pricing views (100 nudges fired when on): rule off ${off.map((x) => x.ms.toFixed(0)).join("/")} ms (median ${median(off)}), on ${on.map((x) => x.ms.toFixed(0)).join("/")} ms (median ${median(on)}), on but other pages ${other.ms.toFixed(0)} ms; the nudge statement itself ${on.map((x) => x.statementMs.toFixed(1)).join("/")} ms per batch`,
  );
});

test("missed call not returned in 2 h, and quote opened with no reply in 48 h: the job fires once per occurrence", async () => {
  const w = await workspace();
  const off = await workspace(); // rules off: its missed call never fires
  await w.settings({ rules: { missed_call: true, quote_no_reply: true } });
  // On a five-minute boundary (the job's period), so that t + 130 and t + 131 minutes share one period
  // whatever the clock says; a minute from now it failed whenever they straddled one (a run in five).
  const t = Math.ceil((Date.now() + 60_000) / 300_000) * 300_000;
  await w.send([
    evt("call_missed", "channel", "a@call.test", at(t, 0), { channel: "voice", direction: "in" }),
    evt("call_missed", "channel", "b@call.test", at(t, 0), { channel: "voice", direction: "in" }),
    evt("message_out", "channel", "b@call.test", at(t, 60), { channel: "sms", direction: "out" }),
    evt("call_missed", "channel", "c@call.test", at(t, 0), { channel: "voice", direction: "in" }),
    evt("call_out", "channel", "c@call.test", at(t, 180), { channel: "voice", direction: "out" }),
    // Two missed calls of one person: two occurrences.
    evt("call_missed", "channel", "d@call.test", at(t, 1), { channel: "voice", direction: "in" }),
    evt("call_missed", "channel", "d@call.test", at(t, 3), { channel: "voice", direction: "in" }),
    // Quotes: opened and never answered; answered in time; opened twice (one email, one nudge); another email.
    evt("email_opened", "email", "q1@quote.test", at(t, 0), { properties: { emailSendId: "send-1" } }),
    evt("email_opened", "email", "q2@quote.test", at(t, 0), { properties: { emailSendId: "send-2" } }),
    evt("email_replied", "email", "q2@quote.test", at(t, 300), { properties: { text: "Yes please" } }),
    evt("email_opened", "email", "q3@quote.test", at(t, 0), { properties: { messageId: "re-3" } }),
    evt("email_opened", "email", "q3@quote.test", at(t, 60), { properties: { messageId: "re-3" } }),
    evt("email_opened", "email", "q3@quote.test", at(t, 70), { properties: { messageId: "re-4" } }),
  ]);
  await off.send([evt("call_missed", "channel", "z@off.test", at(t, 0), { channel: "voice", direction: "in" })]);

  const early = await jobAt(new Date(t + 60 * 60_000));
  expect(early).toMatchObject({ job: "nudges", status: "done", result: { fired: 0 } });
  const calls = await jobAt(new Date(t + 125 * 60_000));
  expect(calls.result.fired).toBe(4); // a, c, d twice
  const again = await jobAt(new Date(t + 130 * 60_000));
  expect(again.result.fired).toBe(0);
  // The same period twice: the second run is skipped.
  expect((await jobAt(new Date(t + 131 * 60_000))).status).toBe("skipped");
  const quotes = await jobAt(new Date(t + (48 * 60 + 75) * 60_000));
  expect(quotes.result.fired).toBe(3); // q1, q3's re-3 (once), q3's re-4

  const byRule = (rule: string) => db.nudge.count({ where: { workspaceId: w.workspaceId, kind: rule } });
  expect(await byRule("missed_call")).toBe(4);
  expect(await byRule("quote_no_reply")).toBe(3);
  expect(await db.nudge.count({ where: { workspaceId: off.workspaceId } })).toBe(0);
  const people = async (rule: string) => {
    const rows = await db.nudge.findMany({
      where: { workspaceId: w.workspaceId, kind: rule },
      select: { profileId: true },
    });
    return new Set(rows.map((r) => r.profileId)).size;
  };
  expect(await people("missed_call")).toBe(3);
  expect(await people("quote_no_reply")).toBe(2);
  // A later run (the hour of overlap) fires nothing twice.
  expect((await jobAt(new Date(t + (48 * 60 + 90) * 60_000))).result.fired).toBe(0);
});

test("webhook: signed Standard Webhooks delivery, retried after a 503, then delivered; email to the owners", async () => {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answer = 503;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(answer).end();
      answer = 200;
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  afterAll(() => server.close());
  const port = (server.address() as AddressInfo).port;

  const w = await workspace();
  const saved = await w.settings({
    rules: { pricing_return: true },
    webhookUrl: `http://127.0.0.1:${port}/hooks/nudges`,
    emailOwners: true,
  });
  expect(saved.webhookSecret).toMatch(/^whsec_/);
  expect(saved.hasWebhookSecret).toBe(true);
  const t = Date.now();
  await w.send([view("wh@x.test", "d-wh", at(t, 0)), view("wh@x.test", "d-wh", at(t, 60))]);
  await vi.waitFor(async () => expect(got.length).toBe(1), { timeout: 10_000 });
  const nudge = await vi.waitFor(
    async () => {
      const row = await db.nudge.findFirstOrThrow({ where: { workspaceId: w.workspaceId } });
      expect(row.webhookAttempts).toBe(1);
      return row;
    },
    { timeout: 10_000 },
  );
  expect(nudge.webhookState).toBe("pending");
  expect(nudge.webhookError).toContain("503");

  // The job retries when the backoff is over (≤ 1.2 minutes after the first attempt).
  await jobAt(new Date(Date.now() + 5 * 60_000));
  expect(got.length).toBe(2);
  const wh = new Webhook(saved.webhookSecret);
  for (const g of got) {
    const payload = wh.verify(g.body, g.headers as Record<string, string>) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(payload.type).toBe("nudge.created");
    expect(payload.data).toMatchObject({
      id: nudge.id,
      rule: "pricing_return",
      person: { id: nudge.profileId, name: "wh@x.test" },
    });
    expect(g.headers["webhook-id"]).toBe(nudge.id);
  }
  // A tampered body or another secret does not verify.
  expect(() => wh.verify(`${got[0]?.body} `, got[0]?.headers as Record<string, string>)).toThrow();
  expect(() =>
    new Webhook(`whsec_${Buffer.from("x".repeat(24)).toString("base64")}`).verify(
      got[0]?.body ?? "",
      got[0]?.headers as Record<string, string>,
    ),
  ).toThrow();
  const done = await db.nudge.findUniqueOrThrow({ where: { id: nudge.id } });
  expect(done).toMatchObject({ webhookState: "delivered", webhookAttempts: 2, emailState: "sent" });
  const mail = await db.outboxEmail.findMany({ where: { workspaceId: w.workspaceId, to: w.ownerEmail } });
  expect(mail).toHaveLength(1);
  expect(mail[0]?.subject).toBe("Customer returns to pricing: wh@x.test");
  // A 4xx is not retried.
  answer = 410;
  await w.send([view("wh2@x.test", "d-wh2", at(t, 0)), view("wh2@x.test", "d-wh2", at(t, 60))]);
  await vi.waitFor(
    async () => {
      const row = await db.nudge.findFirstOrThrow({ where: { workspaceId: w.workspaceId, id: { not: nudge.id } } });
      expect(row.webhookState).toBe("failed");
    },
    { timeout: 10_000 },
  );
});

test("done and seen from the overview; another workspace's nudge is not found; erasure removes the person's nudges", async () => {
  const w = await workspace();
  const other = await workspace();
  await w.settings({ rules: { pricing_return: true } });
  const t = Date.now();
  const [first] = await w.send([view("er@x.test", "d-er", at(t, 0))]);
  await w.send([view("er@x.test", "d-er", at(t, 60))]);
  const [nudge] = await w.nudges("status=open");
  expect(nudge?.person.id).toBe(first?.profileId);
  const mark = (slug: string, body: unknown) =>
    call(markNudgeRoute, `/api/app/${slug}/nudges/${nudge?.id}`, {
      method: "PATCH",
      params: { workspace: slug, id: nudge?.id ?? "" },
      body,
    });
  session.user = { id: other.ownerId, email: other.ownerEmail, name: null };
  expect((await mark(other.slug, { done: true })).status).toBe(404);
  session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  expect((await mark(w.slug, { done: "yes" })).status).toBe(400);
  const marked = await mark(w.slug, { done: true });
  expect(marked.status).toBe(200);
  expect(marked.json.doneAt).not.toBeNull();
  expect(await w.nudges("status=open")).toHaveLength(0);
  expect(await w.nudges("status=done")).toHaveLength(1);

  const erased = await call(profileDelete, `/api/v1/profiles/${first?.profileId}`, {
    method: "DELETE",
    key: w.apiKey,
    params: { id: first?.profileId ?? "" },
  });
  expect(erased.status).toBe(200);
  expect(await db.nudge.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("settings refuse a bad path or URL with the field named, and store nothing", async () => {
  const w = await workspace();
  session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
  for (const body of [{ pricingPath: "/a b" }, { webhookUrl: "ftp://x.test/" }, { rules: { nope: true } }]) {
    const res = await call(patchNudgeSettings, `/api/app/${w.slug}/settings/nudges`, {
      method: "PATCH",
      params: { workspace: w.slug },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
  }
  expect(await db.nudgeSettings.count({ where: { workspaceId: w.workspaceId } })).toBe(0);
});

test("in production a webhook may not reach this server or a private network: refused when saved, never sent", async () => {
  let hits = 0;
  const receiver = http.createServer((req, res) => {
    hits++;
    req.resume();
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  afterAll(() => receiver.close());
  const port = (receiver.address() as AddressInfo).port;
  const w = await workspace();
  await w.settings({ rules: { pricing_return: true }, emailOwners: false });
  (process.env as Record<string, string>).NODE_ENV = "production";
  resetEnvCache();
  try {
    for (const webhookUrl of [
      "https://127.0.0.1/hooks",
      "https://localhost:8443/hooks",
      "https://app.localhost/hooks",
      "https://[::1]/hooks",
      "https://169.254.169.254/latest/meta-data",
      "https://10.0.0.5/hooks",
    ]) {
      session.user = { id: w.ownerId, email: w.ownerEmail, name: null };
      const res = await call(patchNudgeSettings, `/api/app/${w.slug}/settings/nudges`, {
        method: "PATCH",
        params: { workspace: w.slug },
        body: { webhookUrl },
      });
      expect(res.status, webhookUrl).toBe(400);
      expect(res.text, webhookUrl).toContain("must be a public address");
    }
    expect((await w.settings({ webhookUrl: "https://hooks.example.com/nudges" })).webhookUrl).toBe(
      "https://hooks.example.com/nudges",
    );
    // A name that resolves to this machine (stored before, or pointed here since): checked at every delivery.
    await db.nudgeSettings.update({
      where: { workspaceId: w.workspaceId },
      data: { webhookUrl: `http://localhost:${port}/hooks` },
    });
    const t = Date.now();
    await w.send([view("ssrf@x.test", "d-ssrf", at(t, 0)), view("ssrf@x.test", "d-ssrf", at(t, 60))]);
    const nudge = await vi.waitFor(
      async () => {
        const row = await db.nudge.findFirstOrThrow({ where: { workspaceId: w.workspaceId } });
        expect(row.webhookState).toBe("failed");
        return row;
      },
      { timeout: 10_000 },
    );
    expect(nudge.webhookError).toContain("private or reserved address");
    expect(hits).toBe(0);
  } finally {
    (process.env as Record<string, string>).NODE_ENV = "test";
    resetEnvCache();
  }
});

test("a merge keeps one nudge per rule and occurrence: the survivor's", async () => {
  const w = await workspace();
  await w.settings({ rules: { pricing_return: true } });
  const t = Date.now();
  await w.send([view("m1@x.test", "d-m1", at(t, 0)), view("m1@x.test", "d-m1", at(t, 60))]);
  await w.send([view("m2@x.test", "d-m2", at(t, 0)), view("m2@x.test", "d-m2", at(t, 60))]);
  expect(await db.nudge.count({ where: { workspaceId: w.workspaceId } })).toBe(2);
  const [a] = await w.send([view("m1@x.test", "d-m1", at(t, 90))]);
  const [b] = await w.send([view("m2@x.test", "d-m2", at(t, 90))]);
  // A deliberate merge (R5d) of the two people.
  const merged = await call(mergeRoute, `/api/v1/profiles/${a?.profileId}/merge`, {
    key: w.apiKey,
    params: { id: a?.profileId ?? "" },
    body: { otherProfileId: b?.profileId },
  });
  expect(merged.status, merged.text).toBe(200);
  const joined = { profileId: merged.json.id as string };
  const left = await db.nudge.findMany({ where: { workspaceId: w.workspaceId } });
  expect(left).toHaveLength(1);
  expect(left[0]?.profileId).toBe(joined?.profileId);
});
