import { expect, test } from "vitest";
import { touchChannel } from "./touch-channel.ts";

const at = { occurredAt: "2026-11-01T10:00:00.000Z", source: "web" };

test("UTM tags name the row; utm_content is the creative", () => {
  expect(
    touchChannel({ ...at, utm_source: "google", utm_medium: "cpc", utm_campaign: "spring", utm_content: "ad-a" }),
  ).toEqual({ source: "google", medium: "cpc", campaign: "spring", content: "ad-a" });
});

test("an ad click id without UTM fills source and medium, in a fixed order of precedence", () => {
  expect(touchChannel({ ...at, gclid: "g" })).toMatchObject({ source: "google", medium: "cpc", campaign: "" });
  expect(touchChannel({ ...at, wbraid: "w", fbclid: "f" })).toMatchObject({ source: "google", medium: "cpc" });
  expect(touchChannel({ ...at, fbclid: "f" })).toMatchObject({ source: "facebook", medium: "paid" });
  expect(touchChannel({ ...at, msclkid: "m" })).toMatchObject({ source: "bing", medium: "cpc" });
  expect(touchChannel({ ...at, ttclid: "t" })).toMatchObject({ source: "tiktok", medium: "paid" });
  expect(touchChannel({ ...at, li_fat_id: "l" })).toMatchObject({ source: "linkedin", medium: "paid" });
  // A tagged source keeps its name; the click id only fills the missing medium.
  expect(touchChannel({ ...at, utm_source: "spring-promo", gclid: "g" })).toMatchObject({
    source: "spring-promo",
    medium: "cpc",
  });
});

test("a referrer is its host / referral; nothing at all is (direct)", () => {
  expect(touchChannel({ ...at, referrer: "https://www.Example.org:8443/a?b" })).toMatchObject({
    source: "example.org",
    medium: "referral",
  });
  // A tagged link from another site keeps the tags; the referrer does not make it a referral.
  expect(touchChannel({ ...at, utm_source: "partner", referrer: "https://blog.test/" })).toMatchObject({
    source: "partner",
    medium: "",
  });
  expect(touchChannel({ ...at, utm_term: "shoes" })).toEqual({
    source: "(direct)",
    medium: "",
    campaign: "",
    content: "",
  });
  expect(touchChannel(null)).toMatchObject({ source: "(direct)", medium: "" });
});
