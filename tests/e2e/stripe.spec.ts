import { expect, test } from "@playwright/test";
import Stripe from "stripe";
import { screenshot, signUp } from "./fixtures.ts";

// An owner connects their Stripe in Settings → Integrations: the webhook URL and the events to select come
// first, then the two secrets; the signed test event and a real signed checkout reach the delivery log.
for (const width of [1280, 390]) {
  test(`connect Stripe, see the webhook URL, send a signed test event, see the delivery log (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    const owner = await signUp(page);
    await page.goto(`/app/${owner.slug}/settings/integrations`);
    const card = page.getByTestId("stripe-integration");
    await expect(card).toContainText("Not connected");
    const url = (await card.getByTestId("Stripe webhook URL").textContent()) ?? "";
    expect(url).toMatch(/^http:\/\/localhost:\d+\/api\/webhooks\/stripe\/[0-9a-f-]{36}$/);
    await expect(card.getByRole("list", { name: "Events to select" })).toContainText("checkout.session.completed");
    await expect(card.getByRole("list", { name: "Events to select" })).toContainText("charge.refunded");

    // A publishable key by mistake: refused with the field named.
    await card.getByLabel("Secret key").fill("pk_test_notTheSecretKey000");
    await card.getByLabel("Webhook signing secret").fill("whsec_e2eSigningSecret0000001");
    await card.getByRole("button", { name: "Connect Stripe" }).click();
    await expect(card.getByText(/must be a Stripe secret key/)).toBeVisible();
    await card.getByLabel("Secret key").fill("sk_test_e2eSecretKey000000001");
    await card.getByRole("button", { name: "Connect Stripe" }).click();
    await expect(card).toContainText("Connected");
    await expect(card.getByLabel("Secret key")).toHaveCount(0);
    expect(await page.content()).not.toContain("sk_test_e2eSecretKey000000001");

    await card.getByRole("button", { name: "Send a signed test event" }).click();
    await expect(card.getByText("Test event answered 200")).toBeVisible();
    const log = page.getByRole("list", { name: "Deliveries" });
    await expect(log.getByTestId("delivery").first()).toContainText("Test event (verified, not stored)");
    await expect(log.getByTestId("delivery").first()).toContainText("Verified ✓ Stripe-Signature");
    await expect(log.getByTestId("delivery").first()).toContainText("ignored");

    // Stripe itself: an unsigned delivery is refused, a signed checkout makes a customer.
    const payload = JSON.stringify({
      id: `evt_e2e_${width}`,
      object: "event",
      type: "checkout.session.completed",
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: {
        object: {
          id: `cs_test_e2e_${width}`,
          object: "checkout.session",
          mode: "payment",
          payment_status: "paid",
          amount_total: 5000,
          currency: "usd",
          customer: `cus_e2e_${width}`,
          payment_intent: `pi_e2e_${width}`,
          customer_details: { email: `payer${width}@example.com`, phone: null, name: "Pat Payer" },
        },
      },
    });
    const headers = { "content-type": "application/json" };
    expect((await page.request.post(url, { headers, data: payload })).status()).toBe(400);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_e2eSigningSecret0000001" });
    const res = await page.request.post(url, { headers: { ...headers, "stripe-signature": signature }, data: payload });
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ received: true, accepted: 2 });
    await page.reload();
    const newest = page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery").first();
    await expect(newest).toContainText("Stripe checkout.session.completed");
    await expect(newest).toContainText("processed");
    await expect(newest).toContainText("2 events");
    await page.getByLabel("Show").selectOption("stripe");
    await expect(page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery")).toHaveCount(2);
    await screenshot(page, `settings-stripe-${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

    await card.getByRole("button", { name: "Disconnect…" }).click();
    await card.getByRole("button", { name: "Disconnect Stripe" }).click();
    await expect(card).toContainText("Not connected");
    expect(
      (
        await page.request.post(url, { headers: { ...headers, "stripe-signature": signature }, data: payload })
      ).status(),
    ).toBe(404);
  });
}

for (const width of [1280, 390]) {
  test(`the page Stripe returns a payer to says whether the deposit was paid (${width} px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/checkout/done?session_id=cs_test_123");
    await expect(page.getByRole("heading", { level: 1, name: "Payment received" })).toBeVisible();
    await screenshot(page, `checkout-done-${width}`);
    await page.goto("/checkout/done?cancelled=1");
    await expect(page.getByRole("heading", { level: 1, name: "Payment not made" })).toBeVisible();
    await expect(page.getByText("Open the link you were sent again to pay.")).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
}
