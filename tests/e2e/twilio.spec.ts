import { expect, test } from "@playwright/test";
import twilio from "twilio";
import { screenshot, signUp } from "./fixtures.ts";

const TOKEN = "e2e0123456789abcdef0123456789ab";

// An owner connects their Twilio in Settings → Integrations: the webhook URL first, then the Account SID and
// the Auth Token; the signed test event and a real signed inbound SMS reach the delivery log.
for (const width of [1280, 390]) {
  test(`connect Twilio, see the webhook URL, send a signed test event, see the delivery log (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    const owner = await signUp(page);
    await page.goto(`/app/${owner.slug}/settings/integrations`);
    const card = page.getByTestId("twilio-integration");
    await expect(card).toContainText("Not connected");
    const url = (await card.getByTestId("Twilio webhook URL").textContent()) ?? "";
    expect(url).toMatch(/^http:\/\/localhost:\d+\/api\/webhooks\/twilio\/[0-9a-f-]{36}$/);

    // A malformed Account SID: refused with the field named.
    await card.getByLabel("Account SID").fill("AC123");
    await card.getByLabel("Auth Token").fill(TOKEN);
    await card.getByRole("button", { name: "Connect Twilio" }).click();
    await expect(card.getByText(/must be the account's SID/)).toBeVisible();
    await card.getByLabel("Account SID").fill(`AC${"e".repeat(32)}`);
    await card.getByLabel("SMS number (optional)").fill("+18055550199");
    await card.getByRole("button", { name: "Connect Twilio" }).click();
    await expect(card).toContainText("Connected");
    await expect(card.getByLabel("Auth Token")).toHaveCount(0);
    expect(await page.content()).not.toContain(TOKEN);

    await card.getByRole("button", { name: "Send a signed test event" }).click();
    await expect(card.getByText("Test event answered 200")).toBeVisible();
    const log = page.getByRole("list", { name: "Deliveries" });
    await expect(log.getByTestId("delivery").first()).toContainText("Twilio test event (verified, not stored)");
    await expect(log.getByTestId("delivery").first()).toContainText("Verified ✓ X-Twilio-Signature");

    // Twilio itself: an unsigned delivery is refused, a signed SMS is answered with empty TwiML.
    const params = {
      MessageSid: `SM${width}${"0".repeat(34 - 2 - String(width).length)}`,
      From: "+18055550142",
      To: "+18055550199",
      Body: "Is Friday still free?",
      NumMedia: "0",
      SmsStatus: "received",
    };
    const form = new URLSearchParams(params).toString();
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    expect((await page.request.post(url, { headers, data: form })).status()).toBe(400);
    const signature = twilio.getExpectedTwilioSignature(TOKEN, url, params);
    const res = await page.request.post(url, { headers: { ...headers, "x-twilio-signature": signature }, data: form });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toMatch(/^text\/xml/);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    // `npm start` answers these deliveries beside Next (scripts/serve.ts): the same headers as any response,
    // a replay is answered alike, an oversized body is a 413 and other methods still reach Next's 405.
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    const replay = await page.request.post(url, {
      headers: { ...headers, "x-twilio-signature": signature },
      data: form,
    });
    expect(replay.status()).toBe(200);
    expect(await replay.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const huge = await page.request.post(url, {
      headers: { ...headers, "x-twilio-signature": signature },
      data: `Body=${"x".repeat(1024 * 1024 + 10)}`,
    });
    expect(huge.status()).toBe(413);
    const get = await page.request.get(url);
    expect(get.status()).toBe(405);
    expect((await get.json()).error.code).toBe("method_not_allowed");
    await page.reload();
    const newest = page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery").first();
    await expect(newest).toContainText("Twilio SMS received");
    await expect(newest).toContainText("processed");
    await page.getByLabel("Show").selectOption("twilio");
    await expect(page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery")).toHaveCount(2);
    await screenshot(page, `settings-twilio-${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

    await card.getByRole("button", { name: "Disconnect…" }).click();
    await card.getByRole("button", { name: "Disconnect Twilio" }).click();
    await expect(card).toContainText("Not connected");
    expect(
      (await page.request.post(url, { headers: { ...headers, "x-twilio-signature": signature }, data: form })).status(),
    ).toBe(404);
  });
}
