import { expect, test } from "vitest";
import { isBot, pickIdentity } from "./pure.ts";

const form = (fields: { type?: string; name?: string; autocomplete?: string; value: string }[]) => ({
  elements: fields,
});

test("a form gives up its email and phone, never a password or free text", () => {
  const picked = pickIdentity(
    form([
      { type: "email", name: "email", value: " jo@example.com " },
      { type: "tel", name: "phone", value: "(805) 555-0100" },
      { type: "password", name: "password", value: "hunter2@example.com" },
      { type: "text", name: "notes", value: "call me at 805 555 0199, jo2@example.com" },
      { type: "hidden", name: "email_hidden", value: "x@y.zz" },
    ]),
  );
  expect(picked).toEqual({ email: "jo@example.com", phone: "(805) 555-0100" });
});

test("fields named like an email or phone count only when their value looks like one", () => {
  expect(pickIdentity(form([{ type: "text", name: "contact_email", value: "not an email" }]))).toEqual({});
  expect(pickIdentity(form([{ type: "text", autocomplete: "tel", value: "abc" }]))).toEqual({});
  expect(pickIdentity(form([{ type: "text", name: "your-email", value: "a@b.co" }]))).toEqual({ email: "a@b.co" });
});

test("identify() keeps email, phone and accountId only", () => {
  expect(pickIdentity({ email: "a@b.co", accountId: "cus_1", password: "x", name: "Jo" })).toEqual({
    email: "a@b.co",
    accountId: "cus_1",
  });
});

test("bots and headless browsers are recognised; a normal browser is not", () => {
  expect(isBot("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")).toBe(true);
  expect(
    isBot("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36"),
  ).toBe(true);
  expect(
    isBot(
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
    ),
  ).toBe(false);
});
