import { expect, test } from "vitest";
import { isBlocked } from "./blocklist.ts";
import { maskIdentifier, normalizeIdentifier } from "./normalize-identifier.ts";

const value = (r: ReturnType<typeof normalizeIdentifier>) => (r.ok ? r.value : r.reason);

test("R1: emails are trimmed and lower-cased, and must look like an address", () => {
  expect(value(normalizeIdentifier("email", " Jo@Example.COM"))).toBe("jo@example.com");
  expect(value(normalizeIdentifier("email", "jo@example.com"))).toBe("jo@example.com");
  expect(value(normalizeIdentifier("email", "not-an-email"))).toBe("invalid");
  expect(value(normalizeIdentifier("email", "a@b"))).toBe("invalid");
});

test("R1: the spellings of one US phone are one E.164 number; other countries by default country", () => {
  for (const raw of ["(805) 555-0100", "805-555-0100", "+1 805 555 0100", "whatsapp:+18055550100", "805.555.0100"]) {
    expect(value(normalizeIdentifier("phone", raw, { defaultCountry: "US" }))).toBe("+18055550100");
  }
  expect(value(normalizeIdentifier("phone", "030 901820", { defaultCountry: "DE" }))).toBe("+4930901820");
  expect(value(normalizeIdentifier("phone", "12", { defaultCountry: "US" }))).toBe("invalid");
});

test("R1: accounts keep their case; devices are taken as sent", () => {
  expect(value(normalizeIdentifier("account", "  Cus_ABC "))).toBe("Cus_ABC");
  expect(value(normalizeIdentifier("device", "d_abc"))).toBe("d_abc");
});

test("R2: placeholder values never identify, in any case and with quotes", () => {
  for (const v of [
    "",
    "  ",
    "null",
    "NULL",
    '"null"',
    "'undefined'",
    "None",
    "NaN",
    "true",
    "0",
    "-1",
    "000",
    "--",
    "anonymous",
    "Guest",
    "test",
    "abc123",
    "[object Object]",
  ]) {
    expect(isBlocked("account", v), v).toBe(true);
  }
  expect(value(normalizeIdentifier("email", "null"))).toBe("blocked");
  expect(value(normalizeIdentifier("account", "0"))).toBe("blocked");
  expect(isBlocked("account", "cus_42")).toBe(false);
});

test("R2: role mailboxes and a workspace's own values are blocked", () => {
  for (const v of [
    "noreply@acme.test",
    "no-reply@acme.test",
    "info@acme.test",
    "admin@acme.test",
    "support@acme.test",
  ]) {
    expect(isBlocked("email", v), v).toBe(true);
  }
  expect(isBlocked("email", "jo@acme.test")).toBe(false);
  expect(isBlocked("email", "demo@acme.test", ["DEMO@acme.test"])).toBe(true);
});

test("masks keep identifiers recognisable but unreadable", () => {
  expect(maskIdentifier("email", "jo.rivera@example.com")).toBe("j•••@example.com");
  expect(maskIdentifier("phone", "+18055550100")).toBe("+180••••0100");
});
