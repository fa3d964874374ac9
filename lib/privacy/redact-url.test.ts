import { expect, test } from "vitest";
import { campaignFromUrl, redactReferrer, redactUrl } from "./redact-url.ts";

test("P6: stored URLs keep the path and allow-listed parameters only", () => {
  expect(redactUrl("https://acme.test/pricing/?utm_source=google&session=abc&gclid=X1&ot_c=c9#top")).toBe(
    "https://acme.test/pricing/?utm_source=google&gclid=X1&ot_c=c9",
  );
  expect(redactUrl("https://user:pw@acme.test/a")).toBe("https://acme.test/a");
});

test("P6: emails and phone numbers inside a URL are redacted", () => {
  const url =
    redactUrl("https://acme.test/thanks/jo@example.com/?utm_content=call+805-555-0100&email=jo@example.com") ?? "";
  expect(url).not.toContain("jo@example.com");
  expect(url).not.toContain("555");
  expect(url).toContain("%5Bredacted%5D");
});

test("non-URLs are dropped; referrers keep origin and path", () => {
  expect(redactUrl("javascript:alert(1)")).toBeNull();
  expect(redactUrl("not a url")).toBeNull();
  expect(redactReferrer("https://www.google.com/search?q=movers")).toBe("https://www.google.com/search");
});

test("campaign fields come from the landing URL", () => {
  expect(campaignFromUrl("https://acme.test/?utm_source=google&utm_medium=cpc&fbclid=F&x=1")).toEqual({
    utm_source: "google",
    utm_medium: "cpc",
    fbclid: "F",
  });
});
