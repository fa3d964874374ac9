import { expect, test } from "vitest";
import { maskIdentifier } from "./mask-identifier.ts";
import { normalizeIdentifier } from "./normalize-identifier.ts";

test("R1: emails are trimmed and lower-cased, and must look like an address", () => {
  expect(normalizeIdentifier("email", " Jo@Example.COM")).toBe("jo@example.com");
  expect(normalizeIdentifier("email", "jo@example.com")).toBe("jo@example.com");
  expect(normalizeIdentifier("email", "mailto:Jo@Example.com")).toBe("jo@example.com");
  for (const bad of ["not-an-email", "a@b", "jo@@example.com", "jo @example.com", "@example.com", ""]) {
    expect(normalizeIdentifier("email", bad), bad).toBeNull();
  }
});

test("R1: the spellings of one US phone are one E.164 number", () => {
  for (const raw of [
    "(805) 555-0100",
    "805-555-0100",
    "+1 805 555 0100",
    "whatsapp:+18055550100",
    "805.555.0100",
    "tel:8055550100",
  ]) {
    expect(normalizeIdentifier("phone", raw, "US"), raw).toBe("+18055550100");
  }
});

test("R1: a national number is read with the workspace's default country", () => {
  expect(normalizeIdentifier("phone", "030 901820", "DE")).toBe("+4930901820");
  expect(normalizeIdentifier("phone", "020 7946 0958", "GB")).toBe("+442079460958");
  expect(normalizeIdentifier("phone", "+44 20 7946 0958", "US")).toBe("+442079460958");
});

test("R1: what cannot be a phone is not one", () => {
  for (const bad of ["12", "abc", "whatsapp:", "+", "1234567", "x".repeat(50)]) {
    expect(normalizeIdentifier("phone", bad, "US"), bad).toBeNull();
  }
});

test("R1: accounts are trimmed with their case kept; devices are taken as sent", () => {
  expect(normalizeIdentifier("account", "  Cus_ABC ")).toBe("Cus_ABC");
  expect(normalizeIdentifier("device", "d_AbC")).toBe("d_AbC");
  expect(normalizeIdentifier("device", "   ")).toBeNull();
});

test("masks keep identifiers recognisable but unreadable", () => {
  expect(maskIdentifier("email", "jo.rivera@example.com")).toBe("jo•••@example.com");
  expect(maskIdentifier("phone", "+18055550100")).toBe("+1•••0100");
  expect(maskIdentifier("account", "cus_acme_1247")).toBe("cus_•••47");
  expect(maskIdentifier("device", "abc")).toBe("•••");
});
