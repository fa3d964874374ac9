import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { APP_PORT, databaseUrlFile, E2E_ENV } from "./env.ts";
import { createKeyInUi, logIn, type Owner, screenshot, signUp } from "./fixtures.ts";
import { horizontalOverflow, PHONE } from "./phone-width.ts";

// The topic counters and the refunds report as an owner sees them: messages sent through the API, counted by
// the `topics` job (run as `npm run cli -- jobs run topics` would), the week's topics, a topic's messages and
// the person behind one; the refunds with their quote and thread; both pages at desktop and 390 px.
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const sms = (id: string, phone: string, hours: number, body: string) => ({
  id,
  source: "channel",
  type: "message_in",
  channel: "sms",
  direction: "in",
  occurredAt: ago(hours),
  identity: { phone },
  properties: { body },
});
const EVENTS = [
  sms("t1", "+1 805 555 0301", 20, "Do you sell boxes, or only rent crates?"),
  sms("t2", "+1 805 555 0302", 30, "How many boxes for a studio?"),
  sms("t3", "+1 805 555 0303", 40, "Do you do wine cellars?"),
  sms("t4", "+1 805 555 0304", 50, "Can you move a wine cellar next month?"),
  sms("t5", "+1 805 555 0305", 60, "We have a wine cellar, is that something you move?"),
  sms("t6", "+1 805 555 0306", 26 * 24, "Can you move my piano?"),
  sms("t7", "+1 805 555 0307", 10, "Hola, ¿tienen cajas para la mudanza?"),
  sms("r1", "+1 805 555 0310", 72, "I am not happy with the move. The movers broke my mirror!"),
  {
    id: "r2",
    source: "channel",
    type: "message_out",
    channel: "sms",
    direction: "out",
    occurredAt: ago(71),
    identity: { phone: "+1 805 555 0310" },
    properties: { body: "So sorry, we will refund you today." },
  },
  {
    id: "r3",
    source: "webhook",
    type: "payment_refunded",
    occurredAt: ago(48),
    identity: { phone: "+1 805 555 0310" },
    properties: { amount: 5000, currency: "usd", provider: "stripe" },
  },
];

let owner: Owner;
let key = "";

/** The job as `npm run cli -- jobs run topics --now …` runs it, on the e2e app's database. */
function runTopicsJob() {
  const url = fs.readFileSync(databaseUrlFile(APP_PORT), "utf8").trim();
  const out = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/cli.ts",
      "jobs",
      "run",
      "topics",
      "--now",
      new Date(Date.now() + 11 * 60_000).toISOString(),
    ],
    // Nothing else ingests into this database meanwhile: count at once instead of after 2 minutes.
    { env: { ...process.env, ...E2E_ENV, DATABASE_URL: url, ONETHREAD_TOPICS_SETTLE_MS: "0" }, encoding: "utf8" },
  );
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { status: string; result?: { read: number } };
}

async function logInAgain(page: Page) {
  await logIn(page, owner.email, owner.password);
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
}

test.describe.configure({ mode: "serial" });

test("the owner picks a business type, messages arrive, the job counts them", async ({ page }) => {
  owner = await signUp(page);
  key = await createKeyInUi(page, owner.slug);
  await page.goto(`/app/${owner.slug}/settings`);
  await page.getByLabel("Business type").selectOption("movers");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  const res = await page.request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events: EVENTS },
  });
  expect(res.status()).toBe(200);
  const run = runTopicsJob();
  expect(run.status).toBe("done");
  expect(run.result?.read).toBeGreaterThanOrEqual(7);
});

test("the topics page: the week's topics, emerging, a topic's messages, the person behind one", async ({ page }) => {
  await logInAgain(page);
  await page.goto(`/app/${owner.slug}/reports/ga-comparison`);
  await page.getByRole("link", { name: "Topics", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What customers ask about" })).toBeVisible();
  const rows = page.getByTestId("topic-row");
  await expect(rows.first()).toContainText("Wine cellar");
  await expect(rows.nth(1)).toContainText("Boxes and packing supplies");
  await expect(page.getByTestId("emerging")).toContainText("Wine cellar");
  await expect(page.getByTestId("unsold")).toContainText("Wine cellar");
  await expect(page.getByTestId("skipped")).toContainText("1 in Spanish");
  // The API says the same.
  const api = await page.request.get("/api/v1/reports/topics?weeks=4", { headers: { authorization: `Bearer ${key}` } });
  const topics = ((await api.json()) as { topics: { topic: string; count: number; emerging: boolean }[] }).topics;
  expect(topics.slice(0, 2).map((t) => [t.topic, t.count, t.emerging])).toEqual([
    ["Wine cellar", 3, true],
    ["Boxes and packing supplies", 2, false],
  ]);

  await page.getByTestId("topics-table").getByRole("link", { name: "Boxes and packing supplies" }).click();
  await expect(page).toHaveURL(/topic=[0-9a-f-]{36}/);
  const messages = page.getByTestId("topic-messages");
  await expect(messages.getByRole("listitem")).toHaveCount(2);
  await expect(messages).toContainText("Do you sell boxes, or only rent crates?");
  await expect(messages).toContainText("How many boxes for a studio?");

  // "We don't offer this", then the messages lead to the person.
  await page.getByTestId("topics-table").getByRole("link", { name: "Wine cellar" }).click();
  await expect(messages.getByRole("listitem")).toHaveCount(3);
  await page.getByRole("button", { name: "We don't offer this" }).click();
  await expect(page.getByText("Marked as something you don't offer.")).toBeVisible();
  await expect(page.getByRole("button", { name: "We offer this" })).toBeVisible();
  await expect(page.getByTestId("topics-table").getByText("Not offered")).toBeVisible();
  await messages.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/people/[0-9a-f-]{36}$`));
  await expect(
    page
      .getByText("Can you move a wine cellar next month?")
      .or(page.getByText("Do you do wine cellars?"))
      .or(page.getByText("We have a wine cellar, is that something you move?"))
      .first(),
  ).toBeVisible();
});

test("the refunds page: the total, the quote, the sentiment, the thread, the person", async ({ page }) => {
  await logInAgain(page);
  await page.goto(`/app/${owner.slug}/reports/refunds`);
  await expect(page.getByRole("heading", { level: 1, name: "Refunds and cancellations" })).toBeVisible();
  await expect(page.getByTestId("total-refunded")).toHaveText("$50.00");
  const refund = page.getByTestId("refund");
  await expect(refund).toHaveCount(1);
  await expect(refund.getByTestId("quote")).toHaveText("“I am not happy with the move.”");
  await expect(refund.getByTestId("sentiment")).toContainText("Unhappy");
  await refund.getByText(/The thread around it/).click();
  await expect(refund.getByTestId("thread").getByRole("listitem")).toHaveCount(2);
  await expect(refund.getByTestId("thread")).toContainText("So sorry, we will refund you today.");
  await refund.getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/people/[0-9a-f-]{36}$`));
});

for (const size of [{ width: 1280, height: 900 }, PHONE]) {
  test(`both pages fit ${size.width} px, a topic open`, async ({ page }) => {
    await page.setViewportSize(size);
    await logInAgain(page);
    await page.goto(`/app/${owner.slug}/reports/topics`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await screenshot(page, `topics-${size.width}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.getByTestId("topics-table").getByRole("link", { name: "Boxes and packing supplies" }).click();
    await expect(page.getByTestId("topic-messages")).toBeVisible();
    await screenshot(page, `topics-open-${size.width}`);
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.goto(`/app/${owner.slug}/reports/refunds`);
    await page
      .getByTestId("refund")
      .getByText(/The thread around it/)
      .click();
    await screenshot(page, `refunds-${size.width}`);
    expect(await horizontalOverflow(page)).toEqual([]);
  });
}

test("another workspace's topics and refunds are a 404", async ({ browser }) => {
  const context = await browser.newContext();
  const stranger = await context.newPage();
  await signUp(stranger);
  for (const path of ["/reports/topics", "/reports/refunds"]) {
    const res = await stranger.goto(`/app/${owner.slug}${path}`);
    expect(res?.status(), path).toBe(404);
  }
  await context.close();
});
