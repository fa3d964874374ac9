import { expect, test } from "vitest";
import { onethreadAdapter } from "../../lib/auth/adapter.ts";
import { useTestDb } from "../support/db.ts";

const { db } = await useTestDb();
const adapter = onethreadAdapter(db);
// next-auth's Adapter type marks every method optional; the email provider needs these ones.
const need = <K extends keyof typeof adapter>(k: K) => adapter[k] as NonNullable<(typeof adapter)[K]>;

test("a verification token is stored as given and can be used once only", async () => {
  const expires = new Date(Date.now() + 15 * 60_000);
  const token = { identifier: "jo@acme.test", token: "hashed-token-1", expires };
  expect(await need("createVerificationToken")(token)).toEqual(token);

  const used = await need("useVerificationToken")({ identifier: "jo@acme.test", token: "hashed-token-1" });
  expect(used).toEqual(token);
  expect(await need("useVerificationToken")({ identifier: "jo@acme.test", token: "hashed-token-1" })).toBeNull();
  expect(await db.verificationToken.count()).toBe(0);
});

test("a token only matches its own address; a wrong token leaves the right one usable", async () => {
  const expires = new Date(Date.now() + 15 * 60_000);
  await need("createVerificationToken")({ identifier: "a@acme.test", token: "tok-a", expires });
  expect(await need("useVerificationToken")({ identifier: "b@acme.test", token: "tok-a" })).toBeNull();
  expect(await need("useVerificationToken")({ identifier: "a@acme.test", token: "tok-b" })).toBeNull();
  expect(await need("useVerificationToken")({ identifier: "a@acme.test", token: "tok-a" })).not.toBeNull();
});

test("an expired token is returned with its expiry, so next-auth refuses it (and it is gone)", async () => {
  const expires = new Date(Date.now() - 1000);
  await need("createVerificationToken")({ identifier: "late@acme.test", token: "tok-late", expires });
  const used = await need("useVerificationToken")({ identifier: "late@acme.test", token: "tok-late" });
  expect(used?.expires.getTime()).toBe(expires.getTime());
  expect(await db.verificationToken.count({ where: { identifier: "late@acme.test" } })).toBe(0);
});

test("two clicks at once on the same link: exactly one of them gets the token", async () => {
  const expires = new Date(Date.now() + 15 * 60_000);
  await need("createVerificationToken")({ identifier: "race@acme.test", token: "tok-race", expires });
  const results = await Promise.all(
    Array.from({ length: 8 }, () => need("useVerificationToken")({ identifier: "race@acme.test", token: "tok-race" })),
  );
  expect(results.filter(Boolean)).toHaveLength(1);
});

test("users: created with a lower-case email, found by id, email (any case) and linked account", async () => {
  const user = await need("createUser")({ email: "Mixed.Case@Acme.test", emailVerified: new Date(), name: "Mia" });
  expect(user.email).toBe("mixed.case@acme.test");
  expect((await need("getUser")(user.id))?.email).toBe("mixed.case@acme.test");
  expect((await need("getUserByEmail")("MIXED.case@acme.test"))?.id).toBe(user.id);
  expect(await need("getUser")("not-a-uuid")).toBeNull();
  expect(await need("getUserByEmail")("nobody@acme.test")).toBeNull();

  expect(await need("getUserByAccount")({ provider: "email", providerAccountId: user.email })).toBeNull();
  await need("linkAccount")({
    userId: user.id,
    type: "email",
    provider: "email",
    providerAccountId: user.email,
  });
  expect((await need("getUserByAccount")({ provider: "email", providerAccountId: user.email }))?.id).toBe(user.id);

  const verifiedAt = new Date("2026-11-01T10:00:00Z");
  const updated = await need("updateUser")({ id: user.id, emailVerified: verifiedAt });
  expect(updated.emailVerified?.toISOString()).toBe(verifiedAt.toISOString());
  expect(updated.name).toBe("Mia");
});

test("sessions are JWTs: the database session methods store nothing", async () => {
  expect(await need("getSessionAndUser")("whatever")).toBeNull();
  expect(await db.session.count()).toBe(0);
});
