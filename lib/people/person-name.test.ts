import { expect, test } from "vitest";
import { nameInProperties, nameTokens, nameWords, normalizeName, searchTokens } from "./person-name.ts";

test("a name is letters, not an email, a phone or an id", () => {
  expect(normalizeName("  Jo   Rivera ")).toBe("Jo Rivera");
  expect(normalizeName("jo@example.com")).toBeNull();
  expect(normalizeName("+1 805 555 0100")).toBeNull();
  expect(normalizeName("12345")).toBeNull();
  expect(normalizeName("")).toBeNull();
  expect(normalizeName(42)).toBeNull();
  expect(normalizeName("R2-D2")).toBe("R2-D2");
  expect(normalizeName("x".repeat(300))).toHaveLength(100);
});

test("properties give a full name, else first and last; every key read is named so it can leave the event", () => {
  expect(nameInProperties({ name: "Jo Rivera", form: "quote" })).toEqual({ name: "Jo Rivera", keys: ["name"] });
  expect(nameInProperties({ firstName: "José", lastName: "Núñez" })).toEqual({
    name: "José Núñez",
    keys: ["firstName", "lastName"],
  });
  expect(nameInProperties({ first_name: "Kim" })).toEqual({ name: "Kim", keys: ["first_name"] });
  expect(nameInProperties({ full_name: "Ana Silva", first_name: "Ana" })).toEqual({
    name: "Ana Silva",
    keys: ["full_name", "first_name"],
  });
  expect(nameInProperties({ name: "jo@example.com" })).toBeNull();
  expect(nameInProperties({ form: "quote" })).toBeNull();
});

test("the blind index holds every 2+ letter prefix of every word; a search needs each of its words to be one", () => {
  const salt = "salt";
  expect(nameWords("José  Núñez-García")).toEqual(["jose", "nunez", "garcia"]);
  const index = new Set(nameTokens(salt, "Jo Rivera"));
  const finds = (q: string) => (searchTokens(salt, q) ?? ["none"]).every((t) => index.has(t));
  expect(finds("jo")).toBe(true);
  expect(finds("RIV jo")).toBe(true);
  expect(finds("rivera")).toBe(true);
  expect(finds("ivera")).toBe(false);
  expect(finds("jon")).toBe(false);
  expect(searchTokens(salt, "j")).toBeNull();
  // Another workspace's key gives other tokens.
  expect(nameTokens("other", "Jo Rivera").some((t) => index.has(t))).toBe(false);
  expect(nameTokens(salt, "Jo Rivera").every((t) => /^[0-9a-f]{16}$/.test(t))).toBe(true);
});
