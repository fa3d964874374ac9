import { expect, test } from "vitest";
import { decrypt, encrypt, hashIdentifier, resetKeyCache } from "./keys.ts";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password.ts";
import { safeEqual } from "./tokens.ts";

test("encrypt/decrypt round trip; ciphertexts differ for the same text; tampering is detected", () => {
  const a = encrypt("jo@example.com");
  const b = encrypt("jo@example.com");
  expect(a).not.toBe(b);
  expect(a).not.toContain("jo@example.com");
  expect(decrypt(a)).toBe("jo@example.com");
  const parts = a.split(".");
  parts[4] = Buffer.from("tampered").toString("base64url");
  expect(() => decrypt(parts.join("."))).toThrow();
});

test("every seal has its own IV, across refills of the IV pool, and each opens", () => {
  const sealed = Array.from({ length: 1000 }, (_, i) => encrypt(`v${i % 3}`));
  const ivs = sealed.map((s) => s.split(".")[2]);
  expect(new Set(ivs).size).toBe(1000);
  expect(ivs.every((iv) => Buffer.from(iv ?? "", "base64url").length === 12)).toBe(true);
  expect(sealed.map((s) => decrypt(s))).toEqual(sealed.map((_, i) => `v${i % 3}`));
});

test("values sealed under the previous master key stay readable after rotation", () => {
  const original = process.env.MASTER_KEY;
  const sealed = encrypt("+18055550100");
  process.env.MASTER_KEY_PREVIOUS = original;
  process.env.MASTER_KEY = "a-brand-new-master-key-0123456789abcdef";
  resetKeyCache();
  try {
    const resealed = encrypt("+18055550100");
    expect(resealed.split(".")[1]).not.toBe(sealed.split(".")[1]); // a new key id
    expect(decrypt(sealed)).toBe("+18055550100");
    expect(decrypt(resealed)).toBe("+18055550100");
  } finally {
    process.env.MASTER_KEY = original;
    delete process.env.MASTER_KEY_PREVIOUS;
    resetKeyCache();
  }
  expect(decrypt(sealed)).toBe("+18055550100");
});

test("identifier hashes are keyed per workspace and stable", () => {
  const h1 = hashIdentifier("salt-a", "email", "jo@example.com");
  expect(h1).toMatch(/^[0-9a-f]{64}$/);
  expect(hashIdentifier("salt-a", "email", "jo@example.com")).toBe(h1);
  expect(hashIdentifier("salt-b", "email", "jo@example.com")).not.toBe(h1);
  expect(hashIdentifier("salt-a", "phone", "jo@example.com")).not.toBe(h1);
});

test("passwords: scrypt hash verifies the right password only", async () => {
  const hash = await hashPassword("correct horse battery");
  expect(hash).toMatch(/^scrypt\$/);
  expect(await verifyPassword("correct horse battery", hash)).toBe(true);
  expect(await verifyPassword("wrong horse battery", hash)).toBe(false);
  expect(await verifyPassword("x", "garbage")).toBe(false);
});

test("passwords: parallel checks wait for a scrypt slot and all finish, also after one that failed", async () => {
  const hash = await hashPassword("pw");
  // N=3 is not a power of two: scrypt throws, and the slot it held must be given back.
  await expect(verifyPassword("x", "scrypt$3$8$1$AAAA$AAAA")).rejects.toThrow();
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => verifyPassword(i ? "no" : "pw", hash)));
  expect(results).toEqual([true, false, false, false, false, false]);
  expect(await verifyAgainstDummy("pw")).toBe(false);
});

test("safeEqual compares secrets by value", () => {
  expect(safeEqual("abc", "abc")).toBe(true);
  expect(safeEqual("abc", "abd")).toBe(false);
  expect(safeEqual("abc", "abcd")).toBe(false);
});
