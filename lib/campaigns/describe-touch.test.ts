import { expect, test } from "vitest";
import { campaignPeopleHref } from "./campaign-filter.ts";
import { describeTouch } from "./describe-touch.ts";

test("a touch is named as its campaigns row; no touch at all is (direct), as the campaigns page counts it", () => {
  expect(describeTouch(null).label).toBe("(direct)");
  expect(describeTouch(null, { seenAt: "2026-11-02T10:00:00Z" }).details).toEqual([
    ["When", "2026-11-02T10:00:00.000Z"],
    ["Source", "(direct)"],
  ]);
  expect(describeTouch({ occurredAt: "2026-11-02T10:00:00Z", source: "web" }).label).toBe("(direct)");
  const ad = describeTouch({ source: "web", utm_source: "google", utm_medium: "cpc", utm_campaign: "spring" });
  expect(ad.label).toBe("google / cpc / spring");
  expect(ad.details).toContainEqual(["Via", "Website"]);
  expect(describeTouch({ utm_source: "newsletter" }).label).toBe("newsletter / (none)");
  expect(describeTouch({ referrer: "https://www.example.org/x" }).label).toBe("example.org / referral");
  expect(describeTouch({ gclid: "abc" }).details).toContainEqual(["Click id", "gclid abc"]);
});

test("a campaigns row's link names only its filter", () => {
  const href = campaignPeopleHref("acme", { touch: "first", range: "30d", source: "google", medium: "", campaign: "" });
  expect(href).toBe("/app/acme/people?touch=first&range=30d&source=google&medium=&campaign=");
  expect(href).not.toContain("object");
});
