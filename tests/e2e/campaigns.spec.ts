import { expect, test } from "@playwright/test";
import { createKeyInUi, screenshot, signUp, siteKeyInUi } from "./fixtures.ts";

const ago = (days: number, hours = 0) => new Date(Date.now() - days * 86_400_000 + hours * 3_600_000).toISOString();
const visit = (id: string, device: string, days: number, query: string) => ({
  id,
  source: "web",
  type: "page_view",
  occurredAt: ago(days),
  identity: { deviceId: device },
  properties: { url: `https://studio.test/?${query}` },
});

test("an owner sees which campaigns brought people and customers, by first or last touch", async ({
  page,
  request,
}) => {
  const owner = await signUp(page);

  // Before any signal: the empty state says how campaigns arrive.
  await page.getByRole("link", { name: "Campaigns" }).click();
  await expect(page.getByRole("heading", { name: "Campaigns", exact: true })).toBeVisible();
  await expect(page.getByText("Nobody arrived in the last 30 days.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "How campaigns get here" })).toBeVisible();
  await screenshot(page, "campaigns-empty");

  const key = await createKeyInUi(page, owner.slug);
  const siteKey = await siteKeyInUi(page, owner.slug);
  const res = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      events: [
        // A Google ad, then a payment: a customer.
        visit("a1", "dev-a", 3, "utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_content=ad-a"),
        {
          id: "a2",
          source: "web",
          type: "payment_succeeded",
          occurredAt: ago(3, 1),
          identity: { deviceId: "dev-a", email: "ana@e2e.test" },
        },
        // The same campaign, another creative; back later from the newsletter and left an email.
        visit("b1", "dev-b", 4, "utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_content=ad-b"),
        visit("b2", "dev-b", 1, "utm_source=newsletter&utm_medium=email&utm_campaign=november"),
        {
          id: "b3",
          source: "web",
          type: "form_submitted",
          occurredAt: ago(1, 1),
          identity: { deviceId: "dev-b", email: "ben@e2e.test" },
        },
        // A Facebook ad click without UTM tags.
        visit("c1", "dev-c", 2, "fbclid=fb123"),
      ],
    },
  });
  expect(res.status()).toBe(200);

  // Visitors who declined cookies: the tracker sends no deviceId; only anonymous page counts are kept.
  const cookieless = await page.request.post("/api/collect", {
    headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36" },
    data: {
      site: siteKey,
      events: [
        {
          id: "n1",
          type: "page_view",
          ts: Date.now(),
          url: "https://studio.test/?utm_source=google&utm_medium=cpc&utm_campaign=spring",
        },
        {
          id: "n2",
          type: "page_view",
          ts: Date.now(),
          url: "https://studio.test/pricing/?utm_source=google&utm_medium=cpc&utm_campaign=spring",
        },
        {
          id: "n3",
          type: "page_view",
          ts: Date.now(),
          url: "https://studio.test/",
          referrer: "https://www.reddit.com/r/x",
        },
      ],
    },
  });
  expect(cookieless.status()).toBe(202);

  await page.getByRole("link", { name: "Campaigns" }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/campaigns`));
  const rows = page.getByTestId("campaign-row");
  await expect(rows).toHaveCount(3);
  const spring = rows.filter({ hasText: "spring" });
  await expect(spring).toContainText("google / cpc");
  // People 2, identified 2 (100%), customers 1 (50%).
  await expect(spring.getByRole("cell").nth(2)).toHaveText("2");
  await expect(spring.getByRole("cell").nth(3)).toHaveText("2100%");
  await expect(spring.getByRole("cell").nth(4)).toHaveText("150%");
  // Two cookieless page views of the same campaign; none from Facebook.
  await expect(spring.getByRole("cell").nth(5)).toHaveText("2");
  await expect(rows.filter({ hasText: "facebook" })).toContainText("paid");
  await expect(rows.filter({ hasText: "facebook" }).getByRole("cell").nth(5)).toHaveText("0");
  // A referral with cookieless visits only: a row of its own, after the rows with people.
  await expect(rows.nth(2)).toContainText("reddit.com / referral");
  await expect(rows.nth(2).getByRole("cell").nth(2)).toHaveText("0");
  await expect(rows.nth(2).getByRole("cell").nth(5)).toHaveText("1");
  const everyone = page.getByRole("row", { name: /Everyone/ });
  await expect(everyone.getByRole("cell").nth(1)).toHaveText("3");
  await expect(everyone.getByRole("cell").nth(4)).toHaveText("3");
  await expect(page.getByRole("columnheader", { name: "Cookieless visits" })).toHaveAttribute(
    "title",
    /visitors who declined cookies; counted, never tied to a person/,
  );
  await expect(page.getByText(/Cookieless visits are page views of visitors who declined cookies/)).toBeVisible();
  await spring.getByRole("button", { name: /2 creatives/ }).click();
  await expect(page.getByText("creative: ad-a")).toBeVisible();
  await expect(page.getByText("creative: ad-b")).toBeVisible();
  await screenshot(page, "campaigns-first-touch");

  // Last touch: Ben moves to the newsletter.
  await page.getByRole("button", { name: "Last touch" }).click();
  await expect(page).toHaveURL(/touch=last/);
  await expect(rows).toHaveCount(4);
  await expect(rows.filter({ hasText: "november" })).toContainText("newsletter / email");
  await expect(rows.filter({ hasText: "spring" }).getByRole("cell").nth(2)).toHaveText("1");
  // Cookieless visits do not depend on the touch.
  await expect(rows.filter({ hasText: "spring" }).getByRole("cell").nth(5)).toHaveText("2");
  await screenshot(page, "campaigns-last-touch");

  // A range with nobody in it yet, then back.
  await page.getByLabel("Date range").selectOption("7d");
  await expect(page).toHaveURL(/range=7d/);
  await expect(rows).toHaveCount(4);

  // A row opens the customers it counts.
  await rows.filter({ hasText: "november" }).getByRole("link", { name: "1" }).click();
  await expect(page.getByRole("heading", { name: "Customers" })).toBeVisible();
  await expect(page.getByText("Last touch newsletter / email / november")).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(2); // header + Ben
  await expect(page.getByRole("row").nth(1)).toContainText("ben@e2e.test");
  await screenshot(page, "campaigns-customers-filtered");
  await page.getByRole("row").nth(1).getByRole("link").click();
  const attribution = page.locator("section").filter({ has: page.getByRole("heading", { name: "Attribution" }) });
  await expect(attribution).toContainText("google");
  await expect(attribution).toContainText("ad-b");
  await expect(attribution).toContainText("november");
  await screenshot(page, "campaigns-person");
});
