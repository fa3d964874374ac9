import http from "node:http";
import { expect, test } from "@playwright/test";
import { APP_PORT, SITE_PORT } from "./env.ts";
import { screenshot, signUp, siteKeyInUi } from "./fixtures.ts";

// An owner narrows what a secret key may do and which sites may use the site key, in Settings → API keys.
const SITE = `http://localhost:${SITE_PORT}`;
const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
let siteKey = "";
const server = http.createServer((_req, res) => {
  res.setHeader("content-type", "text/html");
  res.end(`<!doctype html><title>Copycat</title>
<script defer src="http://localhost:${APP_PORT}/t.js" data-site="${siteKey}" data-consent="auto"></script><h1>Copycat</h1>`);
});
test.beforeAll(() => new Promise<void>((r) => server.listen(SITE_PORT, r)));
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

for (const width of [1280, 390]) {
  test(`a read-only key and allowed origins, set in the UI, are enforced (${width} px)`, async ({ page, browser }) => {
    await page.setViewportSize({ width, height: 900 });
    const owner = await signUp(page);
    siteKey = await siteKeyInUi(page, owner.slug);

    await page.getByLabel("New key name").fill("Reporting");
    for (const scope of [
      "Send events",
      "Merge, split and erase people",
      "Create tracked links",
      "Export a person's data",
    ])
      await page.getByLabel(scope).uncheck();
    await page.getByRole("button", { name: "Create key" }).click();
    const key = (await page.getByTestId("New API key").textContent()) ?? "";
    // A table from 768 px up, a card per key on a phone.
    const keyEntry = (name: string) =>
      width < 768
        ? page.getByRole("list", { name: "Secret keys" }).getByRole("listitem").filter({ hasText: name })
        : page.getByRole("row", { name: new RegExp(name) });
    await expect(keyEntry("Reporting")).toContainText("Look up people and timelines");
    await expect(keyEntry("Default key")).toContainText("Full access");

    const refused = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: { events: [{ id: "k1", source: "agent", type: "chat_started", identity: { email: "k@example.com" } }] },
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.message).toContain("events:write");
    const lookup = await page.request.get("/api/v1/profiles?email=k@example.com", {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(lookup.status()).toBe(404);

    const origins = page.getByLabel("Allowed origins");
    await origins.fill("https://acme.test\nacme.test/shop");
    await page.getByRole("button", { name: "Save origins" }).click();
    await expect(page.getByText(/Line 2: must be an origin/)).toBeVisible();
    await origins.fill("https://acme.test/\nhttps://www.acme.test");
    await page.getByRole("button", { name: "Save origins" }).click();
    await expect(page.getByText("Saved.")).toBeVisible();
    await expect(origins).toHaveValue("https://acme.test\nhttps://www.acme.test");
    await screenshot(page, `settings-keys-${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

    // Another site embedding the business's site key: the tracker's first call (its config) is refused, so
    // it stores and sends nothing.
    const visitor = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
    const answer = visitor.waitForResponse((r) => r.url().includes("/api/collect"));
    await visitor.goto(`${SITE}/`);
    expect((await answer).status()).toBe(403);
    await page.reload();
    await expect(page.getByLabel("Allowed origins")).toHaveValue("https://acme.test\nhttps://www.acme.test");
  });
}

test("on a phone the workspace menu opens from the top bar and closes on the page it leads to", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const owner = await signUp(page);
  const nav = page.getByRole("navigation", { name: "Workspace" });
  await expect(nav).toBeHidden();
  const menu = page.getByRole("button", { name: "Menu" });
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/settings/keys$`));
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(nav).toBeHidden();
  const box = await page.getByRole("heading", { level: 1, name: "API keys" }).boundingBox();
  expect(box?.x ?? 0).toBeLessThan(40); // the page has the width, not a squeezed column
  await screenshot(page, "phone-keys");
});
