import { expect, test } from "vitest";
import { redactContact, sanitizeProperties, sanitizeUrl } from "./redact-url.ts";

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
