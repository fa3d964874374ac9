import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { latestMailLink, ownerWithKeys, screenshot, unique } from "./fixtures.ts";
import { expectNoHorizontalOverflow } from "./phone-width.ts";

/** axe on the page as it stands: no serious or critical violation. */
async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(serious, what).toEqual([]);
}

async function check(page: Page, name: string, width: number) {
  if (width < 500) await expectNoHorizontalOverflow(page, name);
  await expectAccessible(page, `${name} at ${width}px`);
  await screenshot(page, `privacy-preferences-${name}-${width}`);
}

// A customer of the business manages their own data, with no account: the business's link → their email → the
// one-time link from the mail → what is held → switches → download → delete; on a desktop and on a phone.
for (const width of [1280, 390]) {
  test(`a customer finds, downloads and deletes their data on /privacy/preferences (${width} px)`, async ({
    page,
    browser,
    request,
  }) => {
    const { owner, key } = await ownerWithKeys(page);
    const email = `${unique("jo")}@example.com`;
    const deviceId = unique("d");
    const auth = { authorization: `Bearer ${key}` };
    const ingest = await request.post("/api/v1/events", {
      headers: auth,
      data: {
        events: [
          {
            id: unique("e"),
            source: "web",
            type: "page_view",
            occurredAt: "2026-11-02T10:00:00Z",
            identity: { deviceId },
            properties: { url: "https://acme.test/pricing?utm_source=google" },
          },
          {
            id: unique("e"),
            source: "web",
            type: "form_submit",
            occurredAt: "2026-11-02T10:05:00Z",
            identity: { deviceId, email, phone: "+1 805 555 0177" },
          },
          {
            id: unique("e"),
            source: "channel",
            type: "message_in",
            channel: "sms",
            occurredAt: "2026-11-03T09:00:00Z",
            identity: { phone: "+1 805 555 0177" },
            properties: { body: "Can you move a piano on Saturday?" },
          },
        ],
      },
    });
    expect(ingest.status()).toBe(200);
    const profileId = (await ingest.json()).results[1].profileId as string;

    const visitor = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    await visitor.goto(`/privacy/preferences?w=${owner.slug}`);
    await expect(visitor.getByText(owner.business, { exact: true })).toBeVisible();
    await expect(visitor.getByRole("heading", { level: 1, name: "See and manage your data" })).toBeVisible();
    await check(visitor, "ask", width);
    await visitor.getByLabel("Email address").fill(email.toUpperCase());
    await visitor.getByRole("button", { name: "Email me a link" }).click();
    await expect(visitor.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await expect(visitor.getByRole("status")).toContainText(`If ${owner.business} holds data about that address`);
    await check(visitor, "sent", width);

    // The mail, as the dev outbox shows it to the business's owner (no provider in the e2e app).
    const link = await latestMailLink(page, email);
    expect(link).toMatch(/\/privacy\/preferences\?t=[A-Za-z0-9_-]{80,}$/);
    await visitor.goto(link);
    await check(visitor, "open", width);
    await visitor.getByRole("button", { name: "Open my privacy page" }).click();
    await expect(visitor).toHaveURL(/\/privacy\/preferences\/me$/);
    await expect(visitor.getByRole("heading", { level: 1, name: "Your data and choices" })).toBeVisible();
    await expect(visitor.getByText(email, { exact: true })).toBeVisible(); // typed: shown
    await expect(visitor.getByText("+1•••0177")).toBeVisible(); // not typed: masked
    expect(await visitor.content()).not.toContain("+18055550177");
    await expect(visitor.getByRole("list", { name: "Messages" })).toContainText("Can you move a piano on Saturday?");
    await expect(visitor.getByRole("list", { name: "Activity by kind" })).toContainText("Pages viewed on the website");
    await expect(visitor.getByRole("list", { name: "Most recent activity" })).toContainText(
      `You messaged ${owner.business} on SMS`,
    );
    await check(visitor, "page", width);

    // Switches: email off, then on again; tracking off. Each takes effect at once (the owner's API shows it).
    const emailSwitch = visitor.getByRole("switch", { name: "Email" });
    await expect(emailSwitch).toHaveAttribute("aria-checked", "true");
    await emailSwitch.click();
    await expect(emailSwitch).toHaveAttribute("aria-checked", "false");
    await expect(visitor.getByRole("status").filter({ hasText: "Saved" })).toContainText("won't email you");
    const profile = async () =>
      (await (await request.get(`/api/v1/profiles/${profileId}`, { headers: auth })).json()) as {
        channelOptOuts: { channel: string }[];
      };
    expect((await profile()).channelOptOuts.map((o) => o.channel)).toContain("email");
    await visitor.getByRole("switch", { name: "Website tracking" }).click();
    await expect(visitor.getByRole("switch", { name: "Website tracking" })).toHaveAttribute("aria-checked", "false");
    await emailSwitch.click();
    await expect(emailSwitch).toHaveAttribute("aria-checked", "true");
    expect((await profile()).channelOptOuts.map((o) => o.channel)).not.toContain("email");
    await check(visitor, "switches", width);

    // Download: the files hold what the page only summarises, the phone number in full among it.
    for (const [format, name] of [
      ["json", "Download JSON"],
      ["csv", "Download CSV"],
    ] as const) {
      const [download] = await Promise.all([
        visitor.waitForEvent("download"),
        visitor.getByRole("link", { name }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`${owner.slug}-my-data-${profileId}.${format}`);
      const text = fs.readFileSync((await download.path()) ?? "", "utf8");
      expect(text).toContain(email);
      expect(text).toContain("+18055550177");
      expect(text).toContain("Can you move a piano on Saturday?");
      if (format === "json") {
        const data = JSON.parse(text);
        expect(Object.keys(data)).toEqual(
          expect.arrayContaining(["identifiers", "events", "messages", "consentRecords", "merges", "attribution"]),
        );
        expect(data.events).toHaveLength(3);
      } else
        expect(text.split("\r\n")[0]).toBe("record,id,occurred_at,type,source,channel,direction,value,summary,data");
    }

    // Delete, after the confirmation.
    await visitor.getByRole("button", { name: "Delete my data…" }).click();
    await expect(
      visitor.getByRole("region", { name: `Delete everything ${owner.business} holds about you?` }),
    ).toBeVisible();
    await check(visitor, "confirm-delete", width);
    await visitor.getByRole("button", { name: "Yes, delete everything" }).click();
    await expect(visitor.getByRole("heading", { name: "Your data was deleted" })).toBeVisible();
    await expect(visitor.getByRole("heading", { name: "Your data was deleted" })).toBeFocused();
    await check(visitor, "deleted", width);
    expect((await request.get(`/api/v1/profiles/${profileId}`, { headers: auth })).status()).toBe(404);

    // The page has closed, and the link says what happened.
    await visitor.reload();
    await expect(visitor.getByRole("heading", { name: "Your privacy page has closed" })).toBeVisible();
    const again = await visitor.goto(link);
    expect(again?.status()).toBe(410);
    await expect(visitor.getByRole("heading", { name: "Your data was deleted" })).toBeVisible();
    await check(visitor, "link-after-delete", width);
    await visitor.context().close();
  });
}
