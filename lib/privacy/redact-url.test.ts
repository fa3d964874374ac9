import { expect, test } from "vitest";
import { mayHoldContact, redactContact, redactText, sanitizeProperties, sanitizeUrl } from "./redact-url.ts";

test("P6: a page URL keeps its path and allow-listed parameters only", () => {
  expect(
    sanitizeUrl("https://acme.test/pricing/?utm_source=google&session=abc&gclid=X1&ot_c=c9#top", { keepOrigin: false }),
  ).toBe("/pricing/?utm_source=google&gclid=X1&ot_c=c9");
  expect(sanitizeUrl("https://user:pw@acme.test/a?token=secret", { keepOrigin: true })).toBe("https://acme.test/a");
  expect(sanitizeUrl("/quote/?UTM_Medium=cpc&li_fat_id=L&wbraid=W", { keepOrigin: false })).toBe(
    "/quote/?utm_medium=cpc&li_fat_id=L&wbraid=W",
  );
});

test("P6: emails and phone numbers inside a URL are redacted, also in allowed parameters", () => {
  const url = sanitizeUrl(
    "https://acme.test/thanks/jo@example.com/?utm_content=call+805-555-0100&email=jo@example.com",
    {
      keepOrigin: true,
    },
  );
  expect(url).not.toContain("jo@example.com");
  expect(url).not.toContain("555");
  expect(url).toContain("%5Bemail%5D");
  expect(redactContact("call +1 (805) 555-0100 or jo.r@x.io")).toBe("call [phone] or [email]");
  expect(redactContact("order 2026-11-04 #12345")).toBe("order 2026-11-04 #12345");
});

test("non-URLs are not URLs; referrers keep origin and path", () => {
  expect(sanitizeUrl("javascript:alert(1)", { keepOrigin: true })).toBeNull();
  expect(sanitizeUrl("https://www.google.com/search?q=movers", { keepOrigin: true, keepParams: false })).toBe(
    "https://www.google.com/search",
  );
});

test("P6 applies to every URL in an event's properties, nested too", () => {
  expect(
    sanitizeProperties({
      url: "https://acme.test/pricing/?utm_source=x&fbclid=F&secret=1",
      referrer: "https://www.google.com/search?q=jo%40example.com",
      nested: { target: "https://elsewhere.test/book/?ref=jo@example.com&utm_medium=sms" },
      list: ["https://a.test/x?y=1", 3],
      title: "Pricing",
    }),
  ).toEqual({
    url: "/pricing/?utm_source=x&fbclid=F",
    referrer: "https://www.google.com/search",
    nested: { target: "https://elsewhere.test/book/?utm_medium=sms" },
    list: ["https://a.test/x", 3],
    title: "Pricing",
  });
});

test("P13: free text loses emails and phone numbers, by the same patterns as URLs", () => {
  expect(redactText("Thanks, jo.r@inbox.test!")).toBe("Thanks, [email]!");
  expect(redactText("Write to Jo.Rivera+moves@mail.example.co.uk or call +1 (805) 555-0199 after 5")).toBe(
    "Write to [email] or call [phone] after 5",
  );
  expect(redactText("landline 805.555.0177, mobile 07700 900123")).toBe("landline [phone], mobile [phone]");
  // Dates, prices, short ids and handles are not contact details.
  for (const kept of ["Pricing", "Move on 2026-11-04 at 9:30", "Quote #12345 for $1,250.00", "@acme_movers", ""]) {
    expect(redactText(kept)).toBe(kept);
  }
});

test("the quick check lets ordinary values skip the patterns, and never skips one that holds a contact", () => {
  expect(mayHoldContact("Pricing")).toBe(false);
  expect(mayHoldContact("Nov 4, 12:30")).toBe(false);
  expect(mayHoldContact("a@b")).toBe(true);
  expect(mayHoldContact(`${"x".repeat(1500)}jo@example.com`)).toBe(true);
  expect(mayHoldContact("call 805 555 0100")).toBe(true);
  for (const s of ["+1 805 555 0100", "jo@example.com", "805-555-0100", "ring 8055550100 now"]) {
    expect(redactText(s)).not.toBe(s);
    expect(mayHoldContact(s)).toBe(true);
  }
});

test("free-text mode redacts every string of the properties, nested and in lists, URLs as before", () => {
  const props = {
    form: "contact",
    title: "Thanks jo@example.com",
    message: "Call 805 555 0100",
    details: { notes: ["or jo@example.com", 3], ok: true },
    url: "https://acme.test/thanks/jo@example.com?utm_source=x&email=jo@example.com",
    target: "https://elsewhere.test/a?utm_medium=sms",
  };
  expect(sanitizeProperties(props, undefined, true)).toEqual({
    form: "contact",
    title: "Thanks [email]",
    message: "Call [phone]",
    details: { notes: ["or [email]", 3], ok: true },
    url: "/thanks/%5Bemail%5D?utm_source=x",
    target: "https://elsewhere.test/a?utm_medium=sms",
  });
  // Without it (server events other than web and email), text other than URLs is stored as sent.
  expect(sanitizeProperties({ note: "jo@example.com" })).toEqual({ note: "jo@example.com" });
});

test("P13: a value that is a UUID is an id and stays whole, whatever digit runs it holds", () => {
  expect(redactText("bd0307e4-5211-4741-b0f0-b2506e3c3582")).toBe("bd0307e4-5211-4741-b0f0-b2506e3c3582");
  expect(redactText("id bd0307e4-5211-4741-b0f0-b2506e3c3582 call 805 555 0100")).toContain("[phone]");
  expect(redactText("805-555-0100-1234-123456789012")).toBe("[phone]");
});
