import { expect, test } from "vitest";
import { IdentityState } from "./identity-state.ts";
import type { PreparedIdentifier } from "./prepare-identity.ts";
import { resolveIdentity } from "./resolve-identity.ts";
import { type IdentifierType, identifierKey } from "./types.ts";

const id = (type: IdentifierType, value: string): PreparedIdentifier => {
  const hash = `h_${value}`;
  return { type, value, hash, key: identifierKey(type, hash) };
};
const at = new Date("2026-11-20T10:00:00Z");
let n = 0;
const resolve = (state: IdentityState, identifiers: PreparedIdentifier[], trusted: boolean) =>
  resolveIdentity(state, { eventId: `e${++n}`, occurredAt: at, identifiers, linkProfileId: null, trusted });

/** Two identified people, X by email and Y by phone, and one anonymous device. */
function twoPeople() {
  const state = new IdentityState();
  const x = resolve(state, [id("email", "x@example.com")], true);
  const y = resolve(state, [id("phone", "+18055550177")], true);
  const anon = resolve(state, [id("device", "d_anon")], true);
  return { state, x: x!, y: y!, anon: anon! };
}

test("decision 004: an untrusted event never merges two identified profiles; the refusal is recorded (R5d)", () => {
  const { state, x, y } = twoPeople();
  const home = resolve(
    state,
    [id("email", "x@example.com"), id("phone", "+18055550177"), id("device", "d_new")],
    false,
  );
  expect(home).toBe(x);
  expect(y.mergedInto).toBeNull();
  expect(state.merges).toEqual([
    expect.objectContaining({ kind: "refused", reason: "untrusted_source", from: y.id, into: x.id }),
  ]);
  expect(state.links.filter((l) => l.action === "refused").map((l) => [l.type, l.reason])).toEqual([
    ["phone", "untrusted_source"],
  ]);
  expect(state.identifiers.get(id("device", "d_new").key)?.owner).toBe(x.id);
});

test("decision 004: an untrusted event may join an anonymous device and attach a new identifier", () => {
  const { state, x, anon } = twoPeople();
  const home = resolve(
    state,
    [id("email", "x@example.com"), id("phone", "+18055550199"), id("device", "d_anon")],
    false,
  );
  expect(home).toBe(x);
  expect(anon.mergedInto).toBe(x.id);
  expect(state.merges.map((m) => m.kind)).toEqual(["auto"]);
  expect(state.identifiers.get(id("phone", "+18055550199").key)?.owner).toBe(x.id);
});

test("the same event from a trusted source merges the two (R6)", () => {
  const { state, x, y } = twoPeople();
  const home = resolve(state, [id("email", "x@example.com"), id("phone", "+18055550177")], true);
  expect(home).toBe(x);
  expect(y.mergedInto).toBe(x.id);
  expect(state.merges.map((m) => m.kind)).toEqual(["auto"]);
});
