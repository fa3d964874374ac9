import { expect, test } from "vitest";
import { BUDGETS, buildTracker } from "./build-tracker.ts";

test("t.js stays within 2,048 bytes gzipped, and the consent banner within 1,536", async () => {
  const sizes = await buildTracker({ write: false });
  expect(sizes["t.js"].gzip).toBeLessThanOrEqual(BUDGETS["t.js"]);
  expect(sizes["t-consent.js"].gzip).toBeLessThanOrEqual(BUDGETS["t-consent.js"]);
});

test("the built tracker uses no web storage (P1) and never reads navigator.webdriver (Playwright sets it)", async () => {
  const { "t.js": tracker, "t-consent.js": banner } = await buildTracker({ write: false });
  for (const code of [tracker.code, banner.code]) {
    expect(code).not.toMatch(/localStorage|sessionStorage|indexedDB|webdriver/);
  }
});
