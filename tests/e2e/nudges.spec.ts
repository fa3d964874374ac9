import { expect, type Page, test } from "@playwright/test";
import { createKeyInUi, type Owner, screenshot, signUp } from "./fixtures.ts";
import { horizontalOverflow, PHONE } from "./phone-width.ts";

// Nudges as an owner meets them (decision 020): a rule switched on in Settings → Nudges, a customer returning
// to /pricing/, the nudge on the overview and on the person's timeline, marked done; desktop and 390 px.
const jo = { deviceId: "e2e-nudge-jo", email: "jo@nudges-e2e.test" };
const view = (id: string, at: number) => ({
  id,
  source: "web",
  type: "page_view",
  occurredAt: new Date(at).toISOString(),
  identity: jo,
  properties: { url: "https://acme.test/pricing/" },
});

let owner: Owner;
let key = "";

async function logInAgain(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
}

test.describe.configure({ mode: "serial" });

test("an owner switches the pricing rule on; a returning customer's nudge shows on the overview and the timeline", async ({
  page,
}) => {
  owner = await signUp(page);
  key = await createKeyInUi(page, owner.slug);
  // Before the rule is on: nothing to act on.
  await page.goto(`/app/${owner.slug}`);
  await page.getByRole("link", { name: "Nudges", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nudges" })).toBeVisible();
  const rule = page.getByLabel("Customer returns to pricing");
  await expect(rule).not.toBeChecked();
  await rule.check();
  await expect(page.getByLabel("Pricing path")).toHaveValue("/pricing");
  await page.getByRole("button", { name: "Save nudges" }).click();
  await expect(page.getByText("Nudge settings saved.")).toBeVisible();
  await screenshot(page, "nudges-settings-1280");

  const now = Date.now();
  const res = await page.request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events: [view("n1", now - 2 * 3_600_000), view("n2", now + 1_000)] },
  });
  expect(res.status()).toBe(200);

  await page.goto(`/app/${owner.slug}`);
  const panel = page.getByTestId("nudges-panel");
  await expect(panel.getByRole("heading", { name: "Nudges (1 open)" })).toBeVisible();
  const nudge = panel.getByTestId("nudge");
  await expect(nudge).toHaveCount(1);
  await expect(nudge).toContainText("Customer returns to pricing");
  await expect(nudge).toContainText(jo.email);
  await expect(nudge).toContainText("New");
  await screenshot(page, "nudges-overview-1280");

  await nudge.getByRole("link", { name: jo.email }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/people/[0-9a-f-]{36}$`));
  const line = page.getByTestId("journey-nudge");
  await expect(line).toHaveCount(1);
  await expect(line).toContainText("Nudge: Customer returns to pricing. Offer the upgrade on the channel they use.");
  await screenshot(page, "nudges-timeline-1280");
});

test("at 390 px: the overview's nudge, the timeline and the settings fit, and Done takes it off the list", async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await logInAgain(page);
  const panel = page.getByTestId("nudges-panel");
  await expect(panel.getByTestId("nudge")).toHaveCount(1);
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, "nudges-overview-390");
  expect(await horizontalOverflow(page)).toEqual([]);

  await panel.getByRole("link", { name: jo.email }).click();
  await expect(page.getByTestId("journey-nudge")).toBeVisible();
  await screenshot(page, "nudges-timeline-390");
  expect(await horizontalOverflow(page)).toEqual([]);

  await page.goto(`/app/${owner.slug}/settings/nudges`);
  await expect(page.getByLabel("Customer returns to pricing")).toBeChecked();
  await screenshot(page, "nudges-settings-390");
  expect(await horizontalOverflow(page)).toEqual([]);

  await page.goto(`/app/${owner.slug}`);
  await panel.getByRole("button", { name: "Seen" }).click();
  await expect(panel.getByTestId("nudge")).not.toContainText("New");
  await panel.getByRole("button", { name: "Done" }).click();
  await expect(panel.getByRole("heading", { name: "Nudges (0 open)" })).toBeVisible();
  await expect(panel.getByText("Nothing to act on.")).toBeVisible();
  // The API agrees: one nudge, done.
  const api = await page.request.get("/api/v1/nudges?status=done", { headers: { authorization: `Bearer ${key}` } });
  expect(((await api.json()) as { nudges: unknown[] }).nudges).toHaveLength(1);
});
