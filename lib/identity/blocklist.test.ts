import { expect, test } from "vitest";
import { createBlocklist } from "./blocklist.ts";
import { normalizeIdentifier } from "./normalize-identifier.ts";

const blocked = (type: "email" | "phone" | "account" | "device", raw: string, extra: string[] = []) =>
  createBlocklist(extra, "US").isBlocked(type, raw, normalizeIdentifier(type, raw, "US"));

test("R2: placeholder values never identify anyone, in any case and with or without quotes", () => {
  const values = [
    "",
    "  ",
    "null",
    "NULL",
    '"null"',
    "'undefined'",
    "`None`",
    "NaN",
    "true",
    "FALSE",
    "0",
    "-1",
    "anonymous",
    "Guest",
    "unknown",
    "TEST",
    "abc123",
    "[object Object]",
    '"[object Object]"',
  ];
  for (const v of values) {
    for (const type of ["account", "device", "email", "phone"] as const)
      expect(blocked(type, v), `${type} ${v}`).toBe(true);
  }
});

test("R2: anything matching ^[0-]*$ is blocked, also as a phone", () => {
  for (const v of ["000", "--", "0-0-0", "000-000-0000", "'0000'"]) expect(blocked("phone", v), v).toBe(true);
  expect(blocked("account", "cus_0")).toBe(false);
});

test("R2: role mailboxes are not people", () => {
  for (const v of [
    "noreply@acme.test",
    "No-Reply@acme.test",
    "info@acme.test",
    "admin@acme.test",
    "support@acme.test",
    "support+tickets@acme.test",
    "donotreply@acme.test",
  ]) {
    expect(blocked("email", v), v).toBe(true);
  }
  expect(blocked("email", "jo@acme.test")).toBe(false);
  expect(blocked("email", "information.desk.jo@acme.test")).toBe(false);
});

test("R2: a workspace's own values are blocked as written and in normal form", () => {
  expect(blocked("email", "demo@acme.test", ["DEMO@acme.test"])).toBe(true);
  expect(blocked("email", " Demo@Acme.Test", ['"demo@acme.test"'])).toBe(true);
  expect(blocked("phone", "(805) 555-0199", ["+1 805 555 0199"])).toBe(true);
  expect(blocked("account", "house-account", ["HOUSE-ACCOUNT"])).toBe(true);
  expect(blocked("account", "cus_42", ["HOUSE-ACCOUNT"])).toBe(false);
  expect(blocked("phone", "(805) 555-0100", ["+1 805 555 0199"])).toBe(false);
});
