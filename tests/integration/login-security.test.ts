import type { JWT } from "next-auth/jwt";
import { expect, test } from "vitest";
import { POST as signup } from "../../app/api/signup/route.ts";
import { authOptions } from "../../lib/auth/options.ts";
import { endSessions, setPassword } from "../../lib/auth/session-version.ts";
import { createWorkspace } from "../../lib/workspaces/create-workspace.ts";
import { call } from "../support/api.ts";
import { useTestDb } from "../support/db.ts";

const { db } = await useTestDb();
const acme = await createWorkspace(db, { name: "Acme", ownerEmail: "owner@acme.test", password: "password123" });

// next-auth keeps the provider's own authorize under `options` (the top-level one is a stub).
const credentials = authOptions.providers.find((p) => p.id === "credentials") as unknown as {
  options: { authorize: (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
};
let address = 0;
const authorize = (email: string, password: string) =>
  credentials.options.authorize({ email, password }, { headers: { "x-forwarded-for": `192.0.2.${++address}` } });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
async function timeOf(fn: () => Promise<unknown>) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

test("a wrong password costs about as long for an unknown address as for a real account", async () => {
  await authorize("warm@up.test", "x"); // first-call costs (query compilation) out of the measurement
  await authorize(acme.ownerEmail, "warm up");
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 7; i++) {
    // Interleaved, so a slow moment of the machine hits both series alike.
    known.push(await timeOf(() => authorize(acme.ownerEmail, `wrong ${i}`)));
    unknown.push(await timeOf(() => authorize(`nobody${i}@acme.test`, `wrong ${i}`)));
  }
  const ratio = median(known) / median(unknown);
  console.info(`wrong password: known ${median(known).toFixed(1)} ms, unknown ${median(unknown).toFixed(1)} ms`);
  expect(ratio).toBeLessThan(3);
  expect(ratio).toBeGreaterThan(1 / 3);
});

// The HTTP answers themselves are compared in tests/e2e/login-security.spec.ts.
test("a link request for an unknown address gets the answer of a sent link, and nothing is sent", async () => {
  const signIn = authOptions.callbacks?.signIn;
  if (!signIn) throw new Error("no signIn callback");
  const ask = (email: string) =>
    signIn({
      user: { id: email, email },
      account: { provider: "email", type: "email", providerAccountId: email },
      email: { verificationRequest: true },
    });
  expect(await ask(acme.ownerEmail)).toBe(true); // next-auth sends the link and answers its verify-request URL
  // …which is what an unknown address is answered straight away (next-auth core/lib/email/signin.js).
  expect(await ask("nobody@acme.test")).toBe("http://localhost:3000/api/auth/verify-request?provider=email&type=email");
  expect(await db.outboxEmail.count({ where: { to: "nobody@acme.test" } })).toBe(0);
});

test("sign-up is limited per client: one address's bad sign-ups do not block another's", async () => {
  const from = (ip: string) => ({ raw: "{not json", headers: { "x-forwarded-for": ip } });
  let last = await call(signup, "/api/signup", from("203.0.113.1"));
  for (let i = 0; i < 60; i++) last = await call(signup, "/api/signup", from("203.0.113.1"));
  expect(last.status).toBe(429);
  expect(last.json.error.code).toBe("rate_limited");
  expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
  const other = await call(signup, "/api/signup", from("203.0.113.2"));
  expect(other.status).toBe(400);
  expect(other.json.error.code).toBe("invalid_json");
});

test("a session token ends when the owner logs out or changes the password; a new login works again", async () => {
  const jwt = authOptions.callbacks?.jwt;
  if (!jwt) throw new Error("no jwt callback");
  const user = { id: acme.ownerId, email: acme.ownerEmail, emailVerified: null };
  const signIn = () => jwt({ token: { sub: acme.ownerId }, user, account: null }) as Promise<JWT>;
  const read = (token: JWT) => jwt({ token, user: undefined as never, account: null }) as Promise<JWT>;

  const first = await signIn();
  expect((await read(first)).sub).toBe(acme.ownerId);
  await authOptions.events?.signOut?.({ token: first, session: null as never });
  expect((await read(first)).sub).toBeUndefined();

  const second = await signIn();
  expect((await read(second)).sub).toBe(acme.ownerId);
  await setPassword(db, acme.ownerId, "a new password 1");
  expect((await read(second)).sub).toBeUndefined();
  expect(await authorize(acme.ownerEmail, "a new password 1")).toMatchObject({ id: acme.ownerId });

  const third = await signIn();
  await endSessions(db, acme.ownerId);
  expect((await read(third)).sub).toBeUndefined();
  // A token from before session versions existed (no `sv`) is version 0: it ended with the first bump too.
  expect((await read({ sub: acme.ownerId })).sub).toBeUndefined();
});
