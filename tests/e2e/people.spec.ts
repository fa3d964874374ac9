import { expect, test } from "@playwright/test";
import journey from "../../lib/demo/journey-12-days.json" with { type: "json" };
import { createKeyInUi, screenshot, signUp } from "./fixtures.ts";

test("an owner finds a customer and reads their whole journey on one timeline", async ({ page, request }) => {
  const owner = await signUp(page);
  await page.goto(`/app/${owner.slug}/settings`);
  await page.getByLabel("Time zone").fill("America/Los_Angeles");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  const key = await createKeyInUi(page, owner.slug);
  const ingest = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events: journey.events },
  });
  expect(ingest.status()).toBe(200);
  // A second, anonymous visitor so the list has more than one person.
  await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      events: [
        {
          id: "anon1",
          source: "web",
          type: "page_view",
          occurredAt: "2026-11-10T10:00:00Z",
          identity: { deviceId: "d_other" },
          properties: { url: "https://acme.test/" },
        },
      ],
    },
  });

  await page.getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("heading", { name: "Customers" })).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(3); // header + 2 people
  await page.getByRole("link", { name: "4 · Customer" }).click();
  await expect(page.getByRole("row")).toHaveCount(2);
  await page.getByLabel("Search by name, email or phone").fill("(805) 555-0100");
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByRole("row").filter({ hasText: "#1" });
  await expect(row).toContainText("Customer");
  await screenshot(page, "customers");
  await row.getByRole("link").click();

  await expect(page.getByText("Customer #1")).toBeVisible();
  const ladder = page.getByRole("list", { name: "Identity ladder" });
  await expect(ladder).toContainText("Returning device");
  await expect(ladder).toContainText("Nov 4, 2026, 2:30 PM"); // the quote form, in Los Angeles time
  const feed = page.getByRole("feed", { name: "Journey" });
  await expect(feed.getByTestId("journey-day").first()).toHaveText("Day 1 · Mon Nov 2");
  await expect(feed.getByTestId("journey-event").first()).toContainText("11:42 PM");
  await expect(feed.getByTestId("journey-event").first()).toContainText("rung 0");
  // Members see their customers' contacts in full (the journey itself: tests/e2e/journey.spec.ts).
  await expect(page.getByRole("list", { name: "Identifiers" })).toContainText("jo.rivera@example.com");
  await expect(page.getByText("organic").first()).toBeVisible(); // first touch
  await screenshot(page, "person");

  await page.getByRole("link", { name: /^Messaging/ }).click();
  await expect(page.getByTestId("journey-event")).toHaveCount(1);
  await expect(page.getByTestId("journey-event")).toContainText("WhatsApp");
});

test("another workspace's person is a 404 for this owner", async ({ page, browser, request }) => {
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
          source: "email",
          type: "email_opened",
          occurredAt: "2026-11-10T10:00:00Z",
          identity: { email: "x@b.test" },
        },
      ],
    },
  });
  const profileId = (await res.json()).results[0].profileId as string;
  await ctx.close();
  const page404 = await page.goto(`/app/${a.slug}/people/${profileId}`);
  expect(page404?.status()).toBe(404);
  const api = await page.request.get(`/api/app/${a.slug}/people/${profileId}/timeline`);
  expect(api.status()).toBe(404);
});
