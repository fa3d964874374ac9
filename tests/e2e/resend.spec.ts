import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { Webhook } from "svix";
import { APP_PORT, databaseUrlFile } from "./env.ts";
import { ownerWithKeys, screenshot, signUp, withAppDb } from "./fixtures.ts";

const SECRET = `whsec_${Buffer.from("e2e-resend-signing-secret-0001").toString("base64")}`;
const API_KEY = "re_e2eResendApiKey_000001";

/** A delivery as Resend's Svix signs it (svix's own signer, the current time). */
function signed(body: string, secret = SECRET) {
  const id = `msg_e2e_${randomBytes(6).toString("hex")}`;
  const at = new Date();
  return {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
    "svix-signature": new Webhook(secret).sign(id, at, body),
  };
}

// An owner connects their Resend in Settings → Integrations: the webhook URL and the events to select, then
// the API key, the signing secret and the sender; the signed test event and a real signed event reach the log.
for (const width of [1280, 390]) {
  test(`connect Resend, see the webhook URL, send a signed test event, see the delivery log (${width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    const owner = await signUp(page);
    await page.goto(`/app/${owner.slug}/settings/integrations`);
    const card = page.getByTestId("resend-integration");
    await expect(card).toContainText("Not connected");
    const url = (await card.getByTestId("Resend webhook URL").textContent()) ?? "";
    expect(url).toMatch(/^http:\/\/localhost:\d+\/api\/webhooks\/resend\/[0-9a-f-]{36}$/);
    await expect(card.getByRole("list", { name: "Events to select" })).toContainText("email.delivered");
    await expect(card.getByRole("list", { name: "Events to select" })).toContainText("email.received");

    // A Stripe key by mistake: refused with the field named.
    await card.getByLabel("API key").fill("sk_test_notResend000000");
    await card.getByLabel("Webhook signing secret").fill(SECRET);
    await card.getByLabel("Send from").fill("Studio <hello@mail.studio.test>");
    await card.getByRole("button", { name: "Connect Resend" }).click();
    await expect(card.getByText(/must be a Resend API key/)).toBeVisible();
    await card.getByLabel("API key").fill(API_KEY);
    await card.getByRole("button", { name: "Connect Resend" }).click();
    await expect(card).toContainText("Connected");
    await expect(card.getByLabel("API key")).toHaveCount(0);
    const html = await page.content();
    expect(html).not.toContain(API_KEY);
    expect(html).not.toContain(SECRET);

    await card.getByRole("button", { name: "Send a signed test event" }).click();
    await expect(card.getByText("Test event answered 200")).toBeVisible();
    const log = page.getByRole("list", { name: "Deliveries" });
    await expect(log.getByTestId("delivery").first()).toContainText("Resend test event (verified, not stored)");
    await expect(log.getByTestId("delivery").first()).toContainText("Verified ✓ Svix-Signature");

    // Resend itself: an unsigned delivery is refused, a signed email.delivered is recorded.
    const body = JSON.stringify({
      type: "email.delivered",
      created_at: new Date().toISOString(),
      data: {
        email_id: `e2e-${width}`,
        created_at: new Date().toISOString(),
        from: "Studio <hello@mail.studio.test>",
        to: [`reader-${width}@example.com`],
        subject: "Your quote",
      },
    });
    expect(
      (await page.request.post(url, { headers: { "content-type": "application/json" }, data: body })).status(),
    ).toBe(400);
    expect(
      (await page.request.post(url, { headers: signed(body, `whsec_${"A".repeat(32)}`), data: body })).status(),
    ).toBe(400);
    const res = await page.request.post(url, { headers: signed(body), data: body });
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ received: true, accepted: 1 });
    await page.reload();
    const newest = page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery").first();
    await expect(newest).toContainText("Resend email.delivered (an email not sent from OneThread)");
    await expect(newest).toContainText("processed");
    await page.getByLabel("Show").selectOption("resend");
    await expect(page.getByRole("list", { name: "Deliveries" }).getByTestId("delivery")).toHaveCount(2);
    await screenshot(page, `settings-resend-${width}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

    await card.getByRole("button", { name: "Disconnect…" }).click();
    await card.getByRole("button", { name: "Disconnect Resend" }).click();
    await expect(card).toContainText("Not connected");
    expect((await page.request.post(url, { headers: signed(body), data: body })).status()).toBe(404);
  });
}

// A customer opens the unsubscribe link of a marketing mail (no login, no cookie of the app) and presses the
// one button: they are out of that business's marketing mail at once, and the page says so.
for (const width of [1280, 390]) {
  test(`the unsubscribe page: one button, then "You're unsubscribed" (${width} px)`, async ({ page, browser }) => {
    const { owner, key } = await ownerWithKeys(page);
    const email = `reader-${randomBytes(3).toString("hex")}@example.com`;
    const ingest = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        events: [{ source: "webhook", type: "crm_updated", occurredAt: new Date().toISOString(), identity: { email } }],
      },
    });
    expect(ingest.status()).toBe(200);
    const token = randomBytes(24).toString("base64url");
    const hash = await withAppDb(async (db) => {
      const { rows } = await db.query<{ workspaceId: string; profileId: string; hash: string }>(
        `SELECT i."workspaceId", i."profileId", i.hash FROM "Identifier" i JOIN "Workspace" w ON w.id = i."workspaceId"
         WHERE w.slug = $1 AND i.type = 'email'`,
        [owner.slug],
      );
      const row = rows[0] as { workspaceId: string; profileId: string; hash: string };
      await db.query(
        `INSERT INTO "EmailSend" (id, "workspaceId", "profileId", token, kind, subject, "unsubscribeToken", "toHash", status)
         VALUES (gen_random_uuid(), $1, $2, $3, 'marketing', 'Spring offers', $4, $5, 'sent')`,
        [row.workspaceId, row.profileId, randomBytes(24).toString("base64url"), token, row.hash],
      );
      return row.hash;
    });
    // A stranger's browser: nothing of the owner's session.
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const reader = await context.newPage();
    await reader.goto(`/u/${token}`);
    await expect(reader.getByRole("heading", { level: 1, name: "Unsubscribe?" })).toBeVisible();
    await expect(reader.getByText(`Stop getting marketing emails from ${owner.business}`)).toBeVisible();
    await screenshot(reader, `unsubscribe-${width}`);
    expect(await reader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await reader.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(reader.getByRole("heading", { level: 1, name: "You're unsubscribed" })).toBeVisible();
    await screenshot(reader, `unsubscribed-${width}`);
    const scopes = await withAppDb(async (db) =>
      (await db.query<{ scope: string }>(`SELECT scope FROM "Suppression" WHERE hash = $1`, [hash])).rows.map(
        (r) => r.scope,
      ),
    );
    expect(scopes).toEqual(["email:marketing"]);
    // Opening the link again: it says so, and offers nothing to press.
    await reader.goto(`/u/${token}`);
    await expect(reader.getByRole("heading", { level: 1, name: "You're unsubscribed" })).toBeVisible();
    await expect(reader.getByRole("button")).toHaveCount(0);
    await reader.goto("/u/not-a-real-token-000000000");
    await expect(reader.getByRole("heading", { level: 1, name: "This unsubscribe link is not valid" })).toBeVisible();
    await context.close();
  });
}
