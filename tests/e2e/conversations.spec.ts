import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { conversationEvents } from "../../lib/demo/demo-conversations.ts";
import { syntheticEvents } from "../../lib/demo/demo-events.ts";
import journey from "../../lib/demo/journey-12-days.json" with { type: "json" };
import { createKeyInUi, screenshot, signUp } from "./fixtures.ts";
import { expectNoHorizontalOverflow, PHONE } from "./phone-width.ts";

/** The demo's customers and conversations, sent as a business's servers would (POST /api/v1/events). */
async function demoData(request: APIRequestContext, key: string) {
  const events = [...journey.events, ...syntheticEvents(new Date()), ...conversationEvents(new Date())];
  for (let i = 0; i < events.length; i += 250) {
    const res = await request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: { events: events.slice(i, i + 250) },
    });
    expect(res.status()).toBe(200);
  }
}

async function ownerWithDemo(page: Page, request: APIRequestContext) {
  const owner = await signUp(page);
  await demoData(request, await createKeyInUi(page, owner.slug));
  return owner;
}

test("at 1280 px an owner finds a customer by name, pages through everyone, and answers who is waiting", async ({
  page,
  request,
}) => {
  const owner = await ownerWithDemo(page, request);
  await page.getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("heading", { name: "Customers" })).toBeVisible();
  const total = page.getByTestId("people-total");
  await expect(total).toHaveText(/^\d+ people$/);
  const everyone = Number((await total.textContent())?.split(" ")[0]);
  expect(everyone).toBeGreaterThan(50);

  // Names and full contacts, told apart at a glance.
  const rows = page.getByTestId("person-row");
  await expect(rows).toHaveCount(50);
  await expect(rows.filter({ hasText: "Priya Shah" })).toContainText("priya.shah@example.com");
  await expect(rows.filter({ hasText: "Priya Shah" })).toContainText("+1 805 555 2001");
  await expect(rows.filter({ hasText: "Priya Shah" })).toContainText("google / cpc / movers-ventura");
  await screenshot(page, "customers-names");

  // Pages: the rest on the next one, and back.
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(rows).toHaveCount(everyone - 50);
  await expect(page.getByRole("link", { name: "Next →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Previous" }).click();
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("Priya Shah");
  await expect(page.getByRole("link", { name: "← Previous" })).toHaveCount(0);

  // Sorted by rung, then by a name typed as people do (part of a word, any case).
  await page.getByRole("link", { name: "Highest rung" }).click();
  await expect(rows.first()).toContainText("4 Customer");
  await page.getByLabel("Search by name, email or phone").fill("tom oka");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(total).toHaveText("1 person matching “tom oka”");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Tom Okafor");
  await expect(rows.first()).toContainText("tom.okafor@example.com");
  // An email and a phone number match in full, in any spelling.
  await page.getByLabel("Search by name, email or phone").fill("Priya.Shah@Example.com");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(rows).toHaveCount(1);
  await page.getByLabel("Search by name, email or phone").fill("(805) 555-2002");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(rows.first()).toContainText("Marcus Webb");

  // The inbox: one row per person, newest first, the waiting ones flagged.
  await page.getByRole("link", { name: "Conversations" }).click();
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  const threads = page.getByTestId("conversation-row");
  await expect(threads.first()).toContainText("Priya Shah");
  await expect(threads.first()).toContainText("via WhatsApp");
  await expect(threads.first().getByTestId("unanswered")).toContainText("waiting 2 h");
  await expect(threads.filter({ hasText: "Tom Okafor" }).getByTestId("unanswered")).toHaveCount(0);
  await screenshot(page, "conversations");
  await page.getByRole("link", { name: /^Unanswered/ }).click();
  await expect(threads).toHaveCount(3);
  await expect(threads.nth(0)).toContainText("Priya Shah");
  await expect(threads.nth(1)).toContainText("Elena Park");
  await expect(threads.nth(2)).toContainText("Marcus Webb");
  await expect(threads.nth(2)).toContainText("Voicemail · 38s");

  // Priya's thread: the quote email (opened), then her WhatsApp question in full, waiting.
  await threads.nth(0).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Priya Shah");
  const items = page.getByTestId("thread-item");
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toHaveAttribute("data-direction", "out");
  await expect(items.nth(0)).toContainText("Your moving quote: 2-bedroom, Ventura → Oxnard");
  await expect(items.nth(0)).toContainText("via email");
  await expect(items.nth(0).getByTestId("message-status")).toContainText("opened");
  await expect(items.nth(1)).toHaveAttribute("data-direction", "in");
  await expect(items.nth(1)).toContainText(
    "We also have an upright piano on the first floor — can you move that too, and would it change the price? We'd like Saturday the 14th if it's still free.",
  );
  await expect(items.nth(1)).toContainText("via WhatsApp");
  await expect(page.getByTestId("unanswered")).toContainText("Unanswered: waiting since");
  await screenshot(page, "conversation-whatsapp");

  // A missed call and a voicemail are a conversation too.
  await page.getByRole("link", { name: "← Conversations" }).click();
  await threads.filter({ hasText: "Marcus Webb" }).click();
  await expect(items.nth(0)).toContainText("Missed call (no answer)");
  await expect(items.nth(1)).toContainText("Voicemail · 38s");
  await expect(items.nth(1).getByRole("link", { name: "Listen to the recording" })).toBeVisible();

  // Jo Rivera's journey: the booking agent answered her WhatsApp question in the thread.
  await page.getByRole("link", { name: "← Conversations" }).click();
  await threads.filter({ hasText: "jo.rivera@example.com" }).click();
  await expect(page.getByText("Hi! Got your quote - is Saturday morning free?")).toBeVisible();
  await expect(items.filter({ hasText: "Booking agent: offered slots" })).toContainText("via WhatsApp");
  await expect(page.getByTestId("unanswered")).toHaveCount(0);
  await page.getByRole("link", { name: "Whole journey →" }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/people/`));
});

test("at 390 px the same as cards, without sideways scrolling", async ({ page, request }) => {
  await page.setViewportSize(PHONE);
  await ownerWithDemo(page, request);
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "Customers" }).click();
  // The same rows as cards: no table header, each row a card of its own width.
  const cards = page.getByTestId("person-row");
  await expect(cards).toHaveCount(50);
  await expect(page.getByRole("columnheader", { name: "Person" })).toBeHidden();
  expect((await cards.first().boundingBox())?.width).toBeLessThanOrEqual(PHONE.width);
  await expectNoHorizontalOverflow(page, "customers");
  await screenshot(page, "customers-phone");
  await page.getByLabel("Search by name, email or phone").fill("elena pa");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText("Elena Park");
  await expect(cards.first()).toContainText("elena.park@example.com");

  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("link", { name: "Conversations" }).click();
  const threads = page.getByTestId("conversation-row");
  await expect(threads.first().getByTestId("unanswered")).toBeVisible();
  await expectNoHorizontalOverflow(page, "conversations");
  await screenshot(page, "conversations-phone");
  await threads.filter({ hasText: "Elena Park" }).click();
  const items = page.getByTestId("thread-item");
  await expect(items.last()).toContainText("Friday the 13th works.");
  await expect(items.last()).toContainText("via email");
  await expect(page.getByTestId("unanswered")).toBeVisible();
  await expectNoHorizontalOverflow(page, "a conversation");
  await screenshot(page, "conversation-phone");
});

test("another workspace's conversation is a 404, page and JSON", async ({ page, browser, request }) => {
  const a = await signUp(page);
  const ctx = await browser.newContext();
  const other = await ctx.newPage();
  const b = await signUp(other);
  const key = await createKeyInUi(other, b.slug);
  const res = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      events: [
        {
          id: "x1",
          source: "channel",
          type: "message_in",
          occurredAt: new Date().toISOString(),
          channel: "sms",
          identity: { phone: "+1 805 555 0999" },
          properties: { body: "Private" },
        },
      ],
    },
  });
  const profileId = (await res.json()).results[0].profileId as string;
  await expect((await other.request.get(`/api/app/${b.slug}/conversations/${profileId}`)).status()).toBe(200);
  await ctx.close();
  expect((await page.goto(`/app/${a.slug}/conversations/${profileId}`))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page is not here" })).toBeVisible();
  expect((await page.request.get(`/api/app/${a.slug}/conversations/${profileId}`)).status()).toBe(404);
  expect((await page.request.get(`/api/app/${b.slug}/conversations`)).status()).toBe(404);
});
