import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { screenshot, signUp } from "./fixtures.ts";

// An owner connects a scheduler in Settings → Integrations, pastes nothing yet but sees the URL and secret,
// sends the signed test event, and a real signed Cal.com booking arrives and is logged.
const booking = readFileSync(join(import.meta.dirname, "../fixtures/webhooks/calcom-booking-created.json"), "utf8");

for (const width of [1280, 390]) {
  test(`connect an inbound source, send a signed test event, see the delivery log (${width} px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const owner = await signUp(page);
    if (width < 768) await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "Integrations" }).click();
    await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/settings/integrations$`));
    await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
    await expect(page.getByText("No source is connected yet.")).toBeVisible();

    await page.getByLabel("New source name").fill("Cal!");
    await expect(page.getByText("Lower-case letters, digits and dashes, up to 40.")).toBeVisible();
    await page.getByLabel("New source name").fill("cal");
    await page.getByRole("button", { name: "Connect source" }).click();
    const secret = (await page.getByTestId("Signing secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    const url = (await page.getByTestId("Webhook URL").textContent()) ?? "";
    expect(url).toMatch(/^http:\/\/localhost:\d+\/api\/webhooks\/inbound\/[0-9a-f-]{36}\/cal$/);
    const source = page.getByTestId("source-cal");
    await expect(source).toContainText("Connected");
    await expect(source.getByTestId("Webhook URL of cal")).toHaveText(url);

    await source.getByRole("button", { name: "Send a signed test event" }).click();
    await expect(source.getByText("Test delivery answered 200")).toBeVisible();
    const log = page.getByRole("list", { name: "Deliveries" });
    await expect(log.getByTestId("delivery").first()).toContainText("Test delivery (verified, not stored)");
    await expect(log.getByTestId("delivery").first()).toContainText("ignored");
    await expect(log.getByTestId("delivery").first()).toContainText("Verified ✓ X-OneThread-Signature");

    // Cal.com itself, signing with the secret pasted into its "secret key" field.
    const signature = createHmac("sha256", secret).update(booking).digest("hex");
    const unsigned = await page.request.post(url, { headers: { "content-type": "application/json" }, data: booking });
    expect(unsigned.status()).toBe(400);
    const res = await page.request.post(url, {
      headers: { "content-type": "application/json", "x-cal-signature-256": signature },
      data: booking,
    });
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1 });
    await page.reload();
    const newest = page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery").first();
    await expect(newest).toContainText("Cal.com BOOKING_CREATED");
    await expect(newest).toContainText("processed");
    await expect(newest).toContainText("1 event");
    await expect(page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery")).toHaveCount(2);
    await page.getByLabel("Show").selectOption("inbound:cal");
    await expect(page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery")).toHaveCount(2);
    await screenshot(page, `settings-integrations-${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

    // Rotate: the old secret no longer verifies; the new one is shown once.
    await source.getByRole("button", { name: "Rotate secret…" }).click();
    await source.getByRole("button", { name: /Rotate now/ }).click();
    await expect(page.getByTestId("Signing secret")).not.toHaveText(secret);
    const again = await page.request.post(url, {
      headers: { "content-type": "application/json", "x-onethread-signature": `sha256=${signature}` },
      data: booking,
    });
    expect(again.status()).toBe(400);

    await source.getByRole("button", { name: "Disconnect…" }).click();
    await source.getByRole("button", { name: "Disconnect cal" }).click();
    await expect(page.getByText("No source is connected yet.")).toBeVisible();
    expect((await page.request.post(url, { data: booking })).status()).toBe(404);
  });
}
