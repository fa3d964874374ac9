import { expect, test } from "vitest";
import { encrypt } from "../crypto/keys.ts";
import { CONTENT_KEY, readableProperties } from "./event-content.ts";

test("sealed content and the message text come back for the owner; nothing else changes", () => {
  const stored = { kind: "quote", [CONTENT_KEY]: encrypt(JSON.stringify({ subject: "Piano move" })) };
  expect(readableProperties("email", stored, "Can you move a piano?")).toEqual({
    properties: { kind: "quote", subject: "Piano move", text: "Can you move a piano?" },
    opened: true,
  });
  expect(readableProperties("channel", { agent: "booking" }, "Yes")).toEqual({
    properties: { agent: "booking", body: "Yes" },
    opened: true,
  });
  const plain = { url: "/pricing/" };
  expect(readableProperties("web", plain, undefined)).toEqual({ properties: plain, opened: false });
});

test("a value this app did not seal is shown as sent, never an error", () => {
  for (const forged of ["v1.deadbeef.AAAA.AAAA.AAAA", "hello", encrypt('"a string, not an object"')]) {
    expect(readableProperties("email", { [CONTENT_KEY]: forged }, null)).toEqual({
      properties: { [CONTENT_KEY]: forged },
      opened: false,
    });
  }
});
