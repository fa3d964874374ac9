import { expect, type Page, test } from "@playwright/test";
import { E2E_ENV } from "./env.ts";
import { createKeyInUi, type Owner, screenshot, signUp } from "./fixtures.ts";
import { horizontalOverflow, PHONE } from "./phone-width.ts";

// The Friday summary's preview page (decision 018): the week's email as it is sent, from the reports'
// navigation, with the member's own switch; the email itself looked at on a desktop and at 390 px.
const HOUR = 3_600_000;
let owner: Owner;
let key = "";
let week = "";
let html = "";

test.describe.configure({ mode: "serial" });

async function logInAgain(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
}

test("the latest week's summary, from the reports' navigation, with its figures", async ({ page }) => {
  owner = await signUp(page);
  key = await createKeyInUi(page, owner.slug);
  const auth = { authorization: `Bearer ${key}` };
  const latest = await page.request.get("/api/v1/reports/weekly-summary", { headers: auth });
  expect(latest.status()).toBe(200);
  const span = (await latest.json()) as { week: string; from: string; to: string };
  week = span.week;
  const at = (hours: number) => new Date(Date.parse(span.from) + hours * HOUR).toISOString();
  const events = [
    {
      id: "w1",
      source: "web",
      type: "page_view",
      occurredAt: at(20),
      identity: { deviceId: "sum-a" },
      properties: { url: "https://s.test/?utm_source=google&utm_medium=cpc&utm_campaign=winter" },
    },
    {
      id: "w2",
      source: "web",
      type: "form_submit",
      occurredAt: at(21),
      identity: { deviceId: "sum-a", email: "a@sum.test" },
    },
    {
      id: "w3",
      source: "webhook",
      type: "payment_succeeded",
      occurredAt: at(40),
      identity: { email: "a@sum.test" },
      properties: { amount: 12500, currency: "usd" },
    },
    { id: "w4", source: "web", type: "page_view", occurredAt: at(50), identity: { deviceId: "sum-b" } },
    {
      id: "w5",
      source: "channel",
      type: "message_in",
      occurredAt: at(60),
      identity: { phone: "+1 805 555 0177" },
      channel: "whatsapp",
      direction: "in",
      properties: { body: "Do you store furniture?" },
    },
  ];
  const res = await page.request.post("/api/v1/events", { headers: auth, data: { events } });
  expect(res.status()).toBe(200);
  const api = (await (
    await page.request.get(`/api/v1/reports/weekly-summary?week=${week}`, { headers: auth })
  ).json()) as {
    newPeople: { total: { value: number } };
    deposits: { amounts: { value: number }[] };
  };
  expect(api.newPeople.total.value).toBe(3);
  expect(api.deposits.amounts[0]?.value).toBe(12500);

  await page.goto(`/app/${owner.slug}/reports/ga-comparison`);
  await page.getByRole("navigation", { name: "Reports" }).getByRole("link", { name: "Friday summary" }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/reports/weekly-summary$`));
  await expect(page.getByRole("heading", { level: 1, name: "Friday summary" })).toBeVisible();
  await expect(page.getByTestId("summary-week")).toHaveText(week);
  const mail = page.frameLocator('iframe[title="The summary email"]');
  await expect(mail.getByRole("heading", { level: 1 })).toHaveText(/^Your week: /);
  await expect(mail.getByText("new people", { exact: true })).toBeVisible();
  await expect(mail.getByRole("link", { name: /^\$125\.00 deposits · 1 payment/ })).toBeVisible();
  await expect(mail.getByText(/WhatsApp waiting/)).toBeVisible();
  await expect(mail.getByRole("link", { name: "Unsubscribe" })).toHaveAttribute(
    "href",
    /\/u\/summary\/[A-Za-z0-9_-]+$/,
  );
  html = (await page.locator('iframe[title="The summary email"]').getAttribute("srcdoc")) ?? "";
  expect(html).toContain("<!DOCTYPE html");
  // The week before, and a week that is not one.
  await page.getByRole("link", { name: /^← / }).click();
  await expect(page.getByTestId("summary-week")).not.toHaveText(week);
  await page.goto(`/app/${owner.slug}/reports/weekly-summary?week=2026-W99`);
  await expect(page.getByRole("alert").filter({ hasText: "is not a week" })).toContainText(
    '"2026-W99" is not a week to show',
  );
});

test("the member's switch turns the summary off and on, and stays", async ({ page }) => {
  await logInAgain(page);
  await page.goto(`/app/${owner.slug}/reports/weekly-summary`);
  const toggle = page.getByRole("switch", { name: /Email me this summary/ });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(page.getByText("You don't get this email.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("switch", { name: /Email me this summary/ })).toHaveAttribute("aria-checked", "false");
  await page.getByRole("switch", { name: /Email me this summary/ }).click();
  await expect(page.getByRole("switch", { name: /Email me this summary/ })).toHaveAttribute("aria-checked", "true");
});

for (const width of [1280, PHONE.width]) {
  test(`the preview page and the email itself at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await logInAgain(page);
    await page.goto(`/app/${owner.slug}/reports/weekly-summary?week=${week}`);
    await expect(
      page.frameLocator('iframe[title="The summary email"]').getByRole("heading", { level: 1 }),
    ).toBeVisible();
    // The frame is as tall as the email: nothing of it is cut off or scrolls inside the page.
    await expect
      .poll(() =>
        page
          .locator('iframe[title="The summary email"]')
          .evaluate(
            (f: HTMLIFrameElement) => f.offsetHeight >= (f.contentDocument?.documentElement.scrollHeight ?? Infinity),
          ),
      )
      .toBe(true);
    await screenshot(page, `weekly-summary-page-${width}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    // The email as a mail client shows it: the HTML alone, at this width.
    await page.setContent(html);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Your week: /);
    await screenshot(page, `weekly-summary-email-${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
}

test("the email's unsubscribe link, opened on a phone without logging in, turns the summary off", async ({
  page,
  browser,
}) => {
  const href = /href="([^"]*\/u\/summary\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];
  expect(href, "the email links its one-click unsubscribe").toBeTruthy();
  const path = new URL((href as string).replaceAll("&amp;", "&")).pathname;
  const context = await browser.newContext({ viewport: PHONE });
  const phone = await context.newPage();
  await phone.goto(path);
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText("Unsubscribe?");
  await phone.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(phone.getByRole("heading", { level: 1 })).toHaveText("You're unsubscribed");
  expect(await horizontalOverflow(phone)).toEqual([]);
  await screenshot(phone, "weekly-summary-unsubscribed-390");
  await context.close();
  // The member's own switch says so, and turns it back on.
  await logInAgain(page);
  await page.goto(`/app/${owner.slug}/reports/weekly-summary`);
  const toggle = page.getByRole("switch", { name: /Email me this summary/ });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
});

test("the cron route wants the secret; a stranger gets a 404 for the page", async ({ page, browser }) => {
  expect((await page.request.get("/api/cron/weekly-summary")).status()).toBe(401);
  const wrong = await page.request.get("/api/cron/weekly-summary", {
    headers: { authorization: "Bearer nope-nope-nope-nope" },
  });
  expect(wrong.status()).toBe(401);
  const ok = await page.request.get("/api/cron/weekly-summary", {
    headers: { authorization: `Bearer ${E2E_ENV.CRON_SECRET}` },
  });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ job: "weekly-summary", status: expect.stringMatching(/^(done|skipped)$/) });
  const context = await browser.newContext();
  const stranger = await context.newPage();
  await signUp(stranger);
  const res = await stranger.goto(`/app/${owner.slug}/reports/weekly-summary`);
  expect(res?.status()).toBe(404);
  await context.close();
});
