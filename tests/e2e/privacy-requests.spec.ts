import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { APP_PORT, databaseUrlFile } from "./env.ts";
import { ownerWithKeys, screenshot, withAppDb } from "./fixtures.ts";
import { expectNoHorizontalOverflow, PHONE } from "./phone-width.ts";

/** axe-core on the page as it stands: no serious or critical violation. */
async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(serious, what).toEqual([]);
}

const WIDTHS = [
  { name: "desktop", viewport: { width: 1280, height: 900 } },
  { name: "phone", viewport: PHONE },
];

// The owner's view of the request log (P12) and of retention and Do-Not-Track. A person opted out through
// the API and one through the person page's switches both appear, each with its due date; an open request
// shows how long is left. The settings save, and a customer retention shorter than everyone's is refused.
for (const { name, viewport } of WIDTHS) {
  test(`Settings → Privacy: the request log with due dates, retention and DNT (${name})`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const { owner, key, siteKey } = await ownerWithKeys(page);
    const email = `dana-${randomBytes(3).toString("hex")}@example.com`;
    const ingest = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        events: [
          {
            source: "webhook",
            type: "crm_updated",
            occurredAt: new Date().toISOString(),
            identity: { email, phone: "+18055550142" },
            properties: { name: "Dana Whitfield" },
          },
        ],
      },
    });
    const profileId = (await ingest.json()).results[0].profileId as string;
    const optOut = await page.request.post(`/api/v1/profiles/${profileId}/opt-out`, {
      headers: { authorization: `Bearer ${key}` },
      data: { channels: ["sms"] },
    });
    expect(await optOut.json()).toEqual({ optedOut: ["sms"] });
    // An erasure asked for on the preferences page and waiting for its confirmation: open, due in a month.
    await withAppDb((db) =>
      db.query(
        `INSERT INTO "PrivacyRequest" (id, "workspaceId", kind, status, via, "receivedAt", "dueAt")
         SELECT gen_random_uuid(), id, 'erasure', 'open', 'preferences', now() - interval '20 days', now() + interval '10 days'
         FROM "Workspace" WHERE slug = $1`,
        [owner.slug],
      ),
    );

    // The person page's own switches: the person asked the business directly.
    await page.goto(`/app/${owner.slug}/people/${profileId}`);
    await page.getByRole("button", { name: "Opt-outs" }).click();
    const dialog = page.getByRole("dialog", { name: /Opt-outs of/ });
    await expect(dialog.getByRole("checkbox", { name: /SMS/ })).toBeChecked();
    await dialog.getByRole("checkbox", { name: /Email/ }).check();
    await expectAccessible(page, "the opt-out dialog");
    await screenshot(page, `person-opt-outs-${name}`);
    await dialog.getByRole("button", { name: "Save opt-outs" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("list", { name: "Opt-outs" })).toContainText("Opted out of email");

    await page.goto(`/app/${owner.slug}/settings/privacy`);
    await expect(page.getByRole("heading", { level: 1, name: "Privacy" })).toBeVisible();
    const open = page.getByRole("list", { name: "Open requests" });
    await expect(open.getByTestId("privacy-request")).toHaveCount(1);
    await expect(open).toContainText("Erasure");
    await expect(open).toContainText("Due in 10 days");
    await expect(open).toContainText("Preferences page");
    await expect(open).toContainText("No longer on record");
    const done = page.getByRole("list", { name: "Done requests" });
    await expect(done.getByTestId("privacy-request").filter({ hasText: "Opt-out of SMS" })).toContainText("API");
    await expect(done.getByTestId("privacy-request").filter({ hasText: "Opt-out of email" })).toContainText("This app");
    await expect(done.getByRole("link", { name: "Dana Whitfield" }).first()).toBeVisible();
    await expectNoHorizontalOverflow(page, "Settings → Privacy");
    await expectAccessible(page, "Settings → Privacy");
    await screenshot(page, `settings-privacy-${name}`);

    await page.getByLabel("Keep events for (months)").fill("12");
    await page.getByLabel("Keep paying customers' events for (months)").fill("6");
    await page.getByRole("button", { name: "Save privacy settings" }).click();
    await expect(page.getByText("must be at least 12 months (everyone's retention), or empty")).toBeVisible();
    await page.getByLabel("Keep paying customers' events for (months)").fill("36");
    await page.getByLabel("Honour Do-Not-Track").uncheck();
    await page.getByRole("button", { name: "Save privacy settings" }).click();
    await expect(page.getByText("Privacy settings saved.")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Keep events for (months)")).toHaveValue("12");
    await expect(page.getByLabel("Keep paying customers' events for (months)")).toHaveValue("36");
    await expect(page.getByLabel("Honour Do-Not-Track")).not.toBeChecked();
    // The tracker hears of it (this instance at once; others within the 10 s of their cache).
    const config = await page.request.get(`/api/collect/config?site=${siteKey}`);
    expect((await config.json()).dnt).toBe(false);
  });
}

// P8: a customer's one-link unsubscribe, in a stranger's browser at both widths: one button, then done; a
// garbled link is a clear 404 page that changes nothing. Each state passes axe.
for (const { name, viewport } of WIDTHS) {
  test(`the unsubscribe page is accessible and works at once (${name})`, async ({ page, browser }) => {
    const { owner, key } = await ownerWithKeys(page);
    const email = `reader-${randomBytes(3).toString("hex")}@example.com`;
    const work = `reader-${randomBytes(3).toString("hex")}@work.example`;
    await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        events: [
          {
            source: "webhook",
            type: "crm_updated",
            occurredAt: new Date().toISOString(),
            identity: { email, accountId: "c-1" },
          },
          {
            source: "webhook",
            type: "crm_updated",
            occurredAt: new Date().toISOString(),
            identity: { email: work, accountId: "c-1" },
          },
        ],
      },
    });
    const token = randomBytes(24).toString("base64url");
    const hashes = await withAppDb(async (db) => {
      const { rows } = await db.query<{ workspaceId: string; profileId: string; hash: string }>(
        `SELECT i."workspaceId", i."profileId", i.hash FROM "Identifier" i JOIN "Workspace" w ON w.id = i."workspaceId"
         WHERE w.slug = $1 AND i.type = 'email' ORDER BY i."createdAt"`,
        [owner.slug],
      );
      const row = rows[0] as { workspaceId: string; profileId: string; hash: string };
      await db.query(
        `INSERT INTO "EmailSend" (id, "workspaceId", "profileId", token, kind, subject, "unsubscribeToken", "toHash", status)
         VALUES (gen_random_uuid(), $1, $2, $3, 'marketing', 'Spring offers', $4, $5, 'sent')`,
        [row.workspaceId, row.profileId, randomBytes(24).toString("base64url"), token, row.hash],
      );
      return rows.map((r) => r.hash);
    });
    expect(hashes).toHaveLength(2);
    const context = await browser.newContext({ viewport });
    const reader = await context.newPage();
    await reader.goto(`/u/${token}`);
    await expect(reader.getByRole("heading", { level: 1, name: "Unsubscribe?" })).toBeVisible();
    await expectAccessible(reader, "the unsubscribe page");
    await expectNoHorizontalOverflow(reader, "the unsubscribe page");
    await screenshot(reader, `unsubscribe-axe-${name}`);
    await reader.getByRole("button", { name: "Unsubscribe" }).click();
    await expect(reader.getByRole("heading", { level: 1, name: "You're unsubscribed" })).toBeVisible();
    await expectAccessible(reader, "the unsubscribed page");
    await screenshot(reader, `unsubscribed-axe-${name}`);
    // Every address of the person, not only the one the mail went to; one request in the log.
    const [suppressed, requests] = await withAppDb(async (db) => [
      (await db.query(`SELECT 1 FROM "Suppression" WHERE hash = ANY($1) AND scope = 'email:marketing'`, [hashes]))
        .rowCount,
      (
        await db.query(
          `SELECT 1 FROM "PrivacyRequest" r JOIN "Workspace" w ON w.id = r."workspaceId"
           WHERE w.slug = $1 AND r.kind = 'opt_out' AND r.via = 'unsubscribe'`,
          [owner.slug],
        )
      ).rowCount,
    ]);
    expect(suppressed).toBe(2);
    expect(requests).toBe(1);
    const garbled = await reader.goto(`/u/${token.slice(0, -3)}zzz`);
    expect(garbled?.status()).toBe(404);
    await expect(reader.getByRole("heading", { level: 1, name: "This unsubscribe link is not valid" })).toBeVisible();
    await expectAccessible(reader, "the invalid-link page");
    await screenshot(reader, `unsubscribe-invalid-${name}`);
    await context.close();
  });
}
