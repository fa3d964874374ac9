import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, expect, test, vi } from "vitest";
import { resetEnvCache } from "../../lib/config/env.ts";
import { sendMail } from "../../lib/mail/send-mail.ts";
import { createWorkspace } from "../../lib/workspaces/create-workspace.ts";
import { useTestDb } from "../support/db.ts";

const { db } = await useTestDb();

// A stand-in for Resend's API on a local port: records each request, answers what the test asks for.
const received: { method?: string; url?: string; auth?: string; body: Record<string, unknown> }[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: { id: "re_123" } };
const fake = createServer((req, res) => {
  let raw = "";
  req.on("data", (c) => {
    raw += c;
  });
  req.on("end", () => {
    received.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: JSON.parse(raw || "{}") });
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
  });
});
await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;

const mail = {
  to: "jo@example.test",
  subject: "Hello",
  html: "<p>Hi</p>",
  text: "Hi",
  headers: { "List-Unsubscribe": "<https://app.test/u/x>" },
};

function useResend(on: boolean) {
  if (on) {
    process.env.RESEND_API_KEY = "re_test_key";
    process.env.RESEND_BASE_URL = baseUrl;
  } else {
    delete process.env.RESEND_API_KEY;
    delete process.env.RESEND_BASE_URL;
  }
  resetEnvCache();
}

/** NODE_ENV and DEV_OUTBOX as a server would have them (the test runner's NODE_ENV is "test"). */
function serverEnv(nodeEnv: string, devOutbox?: "1") {
  (process.env as Record<string, string>).NODE_ENV = nodeEnv;
  if (devOutbox) process.env.DEV_OUTBOX = devOutbox;
  else delete process.env.DEV_OUTBOX;
  resetEnvCache();
}

afterEach(() => {
  serverEnv("test");
  useResend(false);
});
afterAll(() => new Promise<void>((resolve) => fake.close(() => resolve())));

test("without RESEND_API_KEY the mail is kept in the dev outbox, with the workspace it belongs to", async () => {
  useResend(false);
  const { workspaceId } = await createWorkspace(db, { name: "Acme", ownerEmail: "owner@acme.test" });
  const sent = await sendMail(db, { ...mail, workspaceId });
  expect(sent.via).toBe("outbox");
  const row = await db.outboxEmail.findUniqueOrThrow({ where: { id: sent.id } });
  expect(row).toMatchObject({ workspaceId, to: "jo@example.test", subject: "Hello", html: "<p>Hi</p>", text: "Hi" });
  expect(row.headers).toEqual(mail.headers);
  expect(received).toHaveLength(0);
});

test("with RESEND_API_KEY it goes through the Resend SDK (to RESEND_BASE_URL) and nothing is kept", async () => {
  useResend(true);
  const before = await db.outboxEmail.count();
  answer = { status: 200, body: { id: "re_123" } };
  const sent = await sendMail(db, mail);
  expect(sent).toEqual({ id: "re_123", via: "resend" });
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({ method: "POST", url: "/emails", auth: "Bearer re_test_key" });
  expect(received[0]?.body).toMatchObject({ to: "jo@example.test", subject: "Hello", html: "<p>Hi</p>", text: "Hi" });
  expect(received[0]?.body.headers).toEqual(mail.headers);
  expect(await db.outboxEmail.count()).toBe(before);
});

test("a refusal from Resend becomes an error (not a silent success)", async () => {
  useResend(true);
  answer = { status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `to` field." } };
  await expect(sendMail(db, mail)).rejects.toThrow("Resend refused the email: Invalid `to` field.");
});

test("in production without RESEND_API_KEY it refuses loudly (503, logged once) instead of filling an outbox nobody reads", async () => {
  useResend(false);
  serverEnv("production");
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const before = await db.outboxEmail.count();
  const calls = received.length;
  for (let i = 0; i < 2; i++) {
    const refusal = await sendMail(db, mail).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ name: "AppError", code: "service_unavailable", status: 503 });
    expect((refusal as Error).message).toMatch(/Email isn't set up on this server.*RESEND_API_KEY/);
  }
  expect(logged).toHaveBeenCalledTimes(1);
  expect(String(logged.mock.calls[0]?.[0])).toContain("RESEND_API_KEY");
  logged.mockRestore();
  expect(await db.outboxEmail.count()).toBe(before);
  expect(received).toHaveLength(calls);
});

test("in production with the explicit DEV_OUTBOX=1 opt-in the mail is kept in the outbox", async () => {
  useResend(false);
  serverEnv("production", "1");
  const sent = await sendMail(db, mail);
  expect(sent.via).toBe("outbox");
});
