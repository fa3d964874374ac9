import { expect, type Page, test } from "@playwright/test";
import { createKeyInUi, type Owner, screenshot, signUp } from "./fixtures.ts";

// The owner's reports, as an owner sees them: the overview's charts, the ladder (its counts the API's), the GA
// comparison answered with this workspace's figures; at desktop and phone width without horizontal overflow.
const HOUR = 3_600_000;
const ago = (days: number, minutes = 0) => new Date(Date.now() - days * 24 * HOUR + minutes * 60_000).toISOString();
const event = (id: string, source: string, type: string, at: string, identity: Record<string, string>, extra = {}) => ({
  id,
  source,
  type,
  occurredAt: at,
  identity,
  ...extra,
});
const ann = { deviceId: "e2e-ann", email: "ann@reports-e2e.test" };
const EVENTS = [
  event("a1", "web", "page_view", ago(6), { deviceId: ann.deviceId }, { properties: { url: "https://s.test/" } }),
  event(
    "a2",
    "web",
    "page_view",
    ago(5),
    { deviceId: ann.deviceId },
    { properties: { url: "https://s.test/pricing/" } },
  ),
  event("a3", "web", "form_submit", ago(5, 5), ann, { properties: { form: "quote" } }),
  event(
    "a4",
    "channel",
    "message_in",
    ago(5, 180),
    { phone: "+1 805 555 0191", email: ann.email },
    {
      channel: "whatsapp",
      direction: "in",
      properties: { body: "Is Saturday free?" },
    },
  ),
  event(
    "a5",
    "channel",
    "message_out",
    ago(5, 185),
    { phone: "+1 805 555 0191" },
    {
      channel: "whatsapp",
      direction: "out",
      properties: { body: "Yes, from 9am." },
    },
  ),
  event(
    "a6",
    "webhook",
    "payment_succeeded",
    ago(4),
    { email: ann.email },
    {
      properties: { amount: 5000, currency: "usd" },
    },
  ),
  event("b1", "web", "page_view", ago(3), { deviceId: "e2e-ben" }),
  event("b2", "web", "form_submit", ago(3, 10), { deviceId: "e2e-ben", email: "ben@reports-e2e.test" }),
  event("b3", "email", "email_sent", ago(3, 11), { email: "ben@reports-e2e.test" }, { properties: { kind: "quote" } }),
  event(
    "b4",
    "email",
    "email_opened",
    ago(3, 50),
    { email: "ben@reports-e2e.test" },
    { properties: { kind: "quote" } },
  ),
  event(
    "c1",
    "ads",
    "ad_click",
    ago(2),
    { deviceId: "e2e-cai" },
    { campaign: { utm_source: "google", utm_medium: "cpc" } },
  ),
  event("c2", "web", "page_view", ago(2, 1), { deviceId: "e2e-cai" }),
  event(
    "d1",
    "channel",
    "message_in",
    ago(1),
    { phone: "+1 805 555 0194" },
    {
      channel: "sms",
      direction: "in",
      properties: { body: "Do you move pianos?" },
    },
  ),
];

let owner: Owner;
let key = "";

async function noOverflow(page: Page, width: number) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

test.describe.configure({ mode: "serial" });

test("an owner's signals arrive and the overview charts them", async ({ page }) => {
  owner = await signUp(page);
  key = await createKeyInUi(page, owner.slug);
  const res = await page.request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events: EVENTS },
  });
  expect(res.status()).toBe(200);
  await page.goto(`/app/${owner.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
  for (const chart of ["Signals per day, by source", "New people by rung", "Customers and deposits"]) {
    const figure = page.getByRole("figure").filter({ has: page.getByRole("heading", { name: chart }) });
    await expect(figure).toBeVisible();
    // Recharts drew bars or lines in it.
    await expect(figure.locator(".recharts-bar-rectangle, .recharts-line-curve").first()).toBeVisible();
  }
  await expect(page.getByRole("figure").first()).toContainText("13 signals in this range");
  const stat = (label: string) => page.locator("dl > *").filter({ has: page.locator("dt", { hasText: label }) });
  await expect(stat("New people")).toContainText("4");
  await expect(stat("New customers")).toContainText("1");
  await expect(stat("Deposits")).toContainText("$50.00");
  await expect(stat("Unanswered")).toContainText("1");
  // The SMS nobody answered, waiting; Ann's WhatsApp was answered.
  await expect(page.getByRole("heading", { name: "Unanswered threads (1)" })).toBeVisible();
  await expect(page.getByText(/SMS, waiting since/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Recent activity" })).toBeVisible();
  await expect(page.getByText("SMS message in", { exact: false }).first()).toBeVisible();
  // A range picked from the presets stays in the URL.
  await page.getByRole("link", { name: "7 days", exact: true }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByRole("link", { name: "7 days", exact: true })).toHaveAttribute("aria-current", "page");
});

test("the ladder's counts are the API's, and each rung opens its people", async ({ page }) => {
  await logInAgain(page);
  const api = await page.request.get("/api/v1/reports/ladder", { headers: { authorization: `Bearer ${key}` } });
  expect(api.status()).toBe(200);
  const ladder = (await api.json()) as {
    rungs: { rung: number; people: number; reached: number }[];
    steps: { from: number; rate: number }[];
  };
  expect(ladder.rungs.map((r) => r.reached)).toEqual([4, 3, 3, 2, 1]);
  await page.getByRole("link", { name: "Ladder", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ladder" })).toBeVisible();
  for (const r of ladder.rungs) {
    await expect(page.getByTestId(`reached-${r.rung}`)).toHaveText(String(r.reached));
    await expect(page.getByTestId(`now-${r.rung}`)).toHaveText(String(r.people));
  }
  await expect(page.getByTestId("step-2")).toContainText("66.7% climbed to rung 3 (2 of 3)");
  await page.getByTestId("rung-2").click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/people\\?rung=2$`));
});

test("the GA comparison answers the eight questions with this workspace's figures", async ({ page }) => {
  await logInAgain(page);
  await page.getByRole("link", { name: "Reports", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What Google Analytics cannot tell you" })).toBeVisible();
  await expect(page.getByRole("article")).toHaveCount(8);
  const answer = (id: string) => page.getByTestId(`question-${id}`).getByTestId("answer");
  await expect(answer("identity")).toHaveText(/^3 people stitched from 2 devices/);
  await expect(answer("paid")).toContainText("1 paid, $50.00 in deposits");
  await expect(answer("drop_off")).toHaveText("1 stopped at rung 2 (email) — most after opening the quote email.");
  await expect(answer("whatsapp")).toContainText("1 thread waiting for an answer");
  // The topic counters answer (what they say depends on whether the five-minute job has counted yet).
  await expect(page.getByTestId("question-demand").getByTestId("answer")).toHaveText(/topics? (asked about|counted)/);
  await expect(page.getByTestId("question-demand").getByRole("link", { name: "Topic counters" })).toBeVisible();
  // The proof of a payment is the payer's own timeline.
  await page.getByRole("link", { name: /payment on their timeline/ }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/people/[0-9a-f-]{36}$`));
});

for (const width of [1280, 390]) {
  test(`the report pages fit ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await logInAgain(page);
    for (const [name, path] of [
      ["overview", ""],
      ["ladder", "/ladder"],
      ["ga-comparison", "/reports/ga-comparison"],
    ]) {
      await page.goto(`/app/${owner.slug}${path}`);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      if (name === "overview") await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
      await screenshot(page, `reports-${name}-${width}`);
      await noOverflow(page, width);
    }
  });
}

test("another workspace's report pages are a 404, and its key sees only its own", async ({ page, browser }) => {
  const context = await browser.newContext();
  const stranger = await context.newPage();
  const other = await signUp(stranger);
  for (const path of ["", "/ladder", "/reports/ga-comparison"]) {
    const res = await stranger.goto(`/app/${owner.slug}${path}`);
    expect(res?.status(), path).toBe(404);
  }
  const theirKey = await createKeyInUi(stranger, other.slug);
  const theirs = await stranger.request.get("/api/v1/reports/ladder", {
    headers: { authorization: `Bearer ${theirKey}` },
  });
  expect(((await theirs.json()) as { rungs: { reached: number }[] }).rungs.every((r) => r.reached === 0)).toBe(true);
  await context.close();
  // The owner still sees their own.
  await logInAgain(page);
  expect((await page.goto(`/app/${owner.slug}/ladder`))?.status()).toBe(200);
});

async function logInAgain(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
}
