import { expect, test } from "vitest";
import { signPreferencesToken } from "../privacy/preferences/tokens.ts";
import { readUnsubscribeToken, signUnsubscribeToken } from "./unsubscribe-token.ts";

const T = {
  workspaceId: "01970000-0000-7000-8000-000000000001",
  emailSendId: "01970000-0000-7000-8000-0000000000aa",
  profileId: "01970000-0000-7000-8000-0000000000bb",
  purpose: "marketing" as const,
};

test("a signed unsubscribe token names workspace, mail, person and purpose, and reads back", () => {
  const token = signUnsubscribeToken(T);
  expect(token).toMatch(/^[A-Za-z0-9_-]{88}$/);
  expect(readUnsubscribeToken(token)).toEqual(T);
  expect(readUnsubscribeToken(signUnsubscribeToken({ ...T, profileId: null, purpose: "transactional" }))).toEqual({
    ...T,
    profileId: null,
    purpose: "transactional",
  });
});

test("forged, garbled, truncated or other-purpose tokens read as nothing", () => {
  const token = signUnsubscribeToken(T);
  const raw = Buffer.from(token, "base64url");
  raw[20] = (raw[20] as number) ^ 1; // another mail id under the old tag
  expect(readUnsubscribeToken(raw.toString("base64url"))).toBeNull();
  expect(readUnsubscribeToken(token.slice(0, -2))).toBeNull();
  expect(readUnsubscribeToken(`${token}A`)).toBeNull();
  expect(readUnsubscribeToken("not a token")).toBeNull();
  expect(readUnsubscribeToken("")).toBeNull();
  const preferences = signPreferencesToken({
    purpose: "footer",
    workspaceId: T.workspaceId,
    profileId: T.profileId,
    expiresAt: new Date(Date.now() + 60_000),
  });
  expect(readUnsubscribeToken(preferences)).toBeNull();
});
