import { expect, test } from "vitest";
import { normalizePath, pathOf, underPath } from "./rules.ts";

test("normalizePath keeps one leading slash, drops the trailing one and the query, refuses junk", () => {
  expect(normalizePath("/pricing/")).toBe("/pricing");
  expect(normalizePath("pricing")).toBe("/pricing");
  expect(normalizePath("/Pricing?x=1")).toBe("/pricing");
  expect(normalizePath("https://acme.test/plans/")).toBe("/plans");
  expect(normalizePath("/")).toBe("/");
  expect(normalizePath("  ")).toBeNull();
  expect(normalizePath("/a b")).toBeNull();
  expect(normalizePath("/a//b")).toBeNull();
});

test("underPath: the page itself and pages below it, not a longer sibling", () => {
  const at = (url: string) => underPath(pathOf(url), "/pricing");
  expect(at("https://acme.test/pricing/")).toBe(true);
  expect(at("https://acme.test/pricing")).toBe(true);
  expect(at("https://acme.test/PRICING/teams?utm_source=x")).toBe(true);
  expect(at("/pricing#tiers")).toBe(true);
  expect(at("https://acme.test/pricings")).toBe(false);
  expect(at("https://acme.test/")).toBe(false);
  expect(underPath(null, "/pricing")).toBe(false);
  expect(underPath("/anything", "/")).toBe(true);
});
