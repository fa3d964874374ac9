import { expect, test } from "@playwright/test";
import { conversationEvents } from "../../lib/demo/demo-conversations.ts";
import journey from "../../lib/demo/journey-12-days.json" with { type: "json" };
import { createKeyInUi, logIn, logOut, screenshot, signUp } from "./fixtures.ts";
import { expectNoHorizontalOverflow, PHONE } from "./phone-width.ts";

test("every owner page at 390 px: the menu reaches it, nothing scrolls or is cut off sideways", async ({
  page,
  request,
}) => {
  const owner = await signUp(page);
  const key = await createKeyInUi(page, owner.slug);
  const sent = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events: [...journey.events, ...conversationEvents(new Date())] },
  });
  expect(sent.status()).toBe(200);
  const jo = (await sent.json()).results[0].profileId as string;
  // A campaign with a long name and creatives: the widest row the campaigns page has.
  await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      events: [
        {
          id: "wide1",
          source: "web",
          type: "page_view",
          occurredAt: new Date().toISOString(),
          identity: { deviceId: "d_wide" },
          properties: { url: "https://acme.test/?utm_source=facebook" },
          campaign: {
            utm_source: "facebook",
            utm_medium: "paid_social",
            utm_campaign: "black-friday-weekend-moving-special-2026",
            utm_content: "carousel-video-variant-b",
          },
        },
      ],
    },
  });

  await page.setViewportSize(PHONE);
  const pages: [string, string, RegExp | string][] = [
    ["Overview", "", owner.business],
    ["Customers", "/people", "Customers"],
    ["Conversations", "/conversations", "Conversations"],
    ["Campaigns", "/campaigns", "Campaigns"],
    ["General", "/settings", "Settings"],
    ["API keys", "/settings/keys", "API keys"],
    ["Integrations", "/settings/integrations", "Integrations"],
    ["Nudges", "/settings/nudges", "Nudges"],
    ["Members", "/settings/members", "Members"],
    ["Privacy", "/settings/privacy", "Privacy"],
  ];
  for (const [link, path, heading] of pages) {
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: link, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}${path}(\\?|$)`));
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await expectNoHorizontalOverflow(page, link);
    await screenshot(page, `phone-${link.toLowerCase().replace(/\s+/g, "-")}`);
  }
  // The pages reached from those: a person, a conversation, the customers of a campaign.
  for (const path of [`/people/${jo}`, `/conversations/${jo}`, "/people?rung=4", "/campaigns?touch=first&range=all"]) {
    await page.goto(`/app/${owner.slug}${path}`);
    await page.waitForLoadState("networkidle");
    await expectNoHorizontalOverflow(page, path);
  }
  await page
    .getByRole("button", { name: /creative/ })
    .first()
    .click();
  await expectNoHorizontalOverflow(page, "campaigns with creatives open");
  await screenshot(page, "phone-campaigns-creatives");
  const card = page.getByTestId("campaign-card").filter({ hasText: "black-friday" });
  await card.getByRole("link").click();
  await expect(page).toHaveURL(/source=facebook&medium=paid_social&campaign=black-friday/);
  expect(page.url()).not.toContain("object");
});

test("a favicon, and a 404 in the app's own look with the ways back", async ({ page, request }) => {
  const icon = await request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  await page.goto("/");
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /icon\.svg/);

  const missing = await page.goto("/no/such/page");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page is not here" })).toBeVisible();
  await expect(page).toHaveTitle(/Page not found/);
  await screenshot(page, "not-found");
  await page.getByRole("link", { name: "Go to your workspace" }).click();
  await expect(page).toHaveURL(/\/login/);

  const owner = await signUp(page);
  await page.setViewportSize(PHONE);
  expect((await page.goto(`/app/${owner.slug}/people/01900000-0000-7000-8000-000000000000`))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page is not here" })).toBeVisible();
  await expectNoHorizontalOverflow(page, "404");
  await page.getByRole("link", { name: "Go to your workspace" }).click();
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
});

test("the time zone is picked from a searchable list of IANA zones", async ({ page }) => {
  const owner = await signUp(page);
  await page.goto(`/app/${owner.slug}/settings`);
  const zone = page.getByRole("combobox", { name: "Time zone" });
  await zone.click();
  await zone.fill("berl");
  const list = page.getByRole("listbox", { name: "Time zones" });
  await expect(list.getByRole("option")).toHaveCount(1);
  await expect(list.getByRole("option").first()).toContainText("Europe/Berlin");
  await expect(list.getByRole("option").first()).toContainText("Central European Time");
  await screenshot(page, "settings-time-zone");
  await zone.press("Enter");
  await expect(zone).toHaveValue("Europe/Berlin");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Time zone" })).toHaveValue("Europe/Berlin");

  // By offset, with the mouse; a search matching nothing says so.
  await zone.click();
  await zone.fill("+5:30");
  await page.getByRole("option", { name: /Asia\/Kolkata/ }).click();
  await expect(zone).toHaveValue("Asia/Kolkata");
  await zone.click();
  await zone.fill("atlantis");
  await expect(page.getByText("No time zone matches “atlantis”.")).toBeVisible();
  await zone.press("Escape");
  await expect(zone).toHaveValue("Asia/Kolkata");
  await page.setViewportSize(PHONE);
  await expectNoHorizontalOverflow(page, "settings");
});

test("the login page's messages are about now: a login from an old error link goes through, logging out says so", async ({
  page,
}) => {
  const owner = await signUp(page);
  await logOut(page);
  await expect(page.getByText("You have logged out.")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/); // the message's parameter left the address bar
  await page.getByLabel("Email").fill(owner.email);
  await expect(page.getByText("You have logged out.")).toBeVisible();
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page.getByText("You have logged out.")).toHaveCount(0);
  await page.getByLabel("Password").fill(owner.password);
  await expect(page.getByText("Wrong email or password.")).toHaveCount(0);

  // An expired login link lands on /login?error=Verification; the password then logs in, with no old error.
  await page.goto("/login?error=Verification");
  await expect(page.getByText("That login link was already used or has expired.")).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, owner.email, owner.password);
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
  await page.goto("/login?error=Verification&callbackUrl=%2Fapp");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
  await expect(page.getByText("That login link was already used")).toHaveCount(0);
});
