import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { syntheticEvents } from "../../lib/demo/demo-events.ts";
import journey from "../../lib/demo/journey-12-days.json" with { type: "json" };
import { createKeyInUi, screenshot, signUp } from "./fixtures.ts";

/** A workspace like the demo: Acme Movers' time zone, the 12-day journey and the synthetic customers. */
async function demoLikeWorkspace(page: Page) {
  const owner = await signUp(page, { business: `Acme Movers ${Date.now().toString(36)}` });
  await page.goto(`/app/${owner.slug}/settings`);
  await page.getByLabel("Time zone").fill("America/Los_Angeles");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  const key = await createKeyInUi(page, owner.slug);
  const events = [...journey.events, ...syntheticEvents(new Date("2026-11-24T12:00:00Z"), 30)];
  let jo = "";
  for (let i = 0; i < events.length; i += 500) {
    const res = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: { events: events.slice(i, i + 500) },
    });
    expect(res.status()).toBe(200);
    const hit = (await res.json()).results.find((r: { id: string }) => r.id === "j10");
    if (hit) jo = hit.profileId;
  }
  return { owner, key, jo };
}

/** What the viewport shows now (the full-page shots of fixtures.ts are too tall to read a dialog in). */
const view = (page: Page, name: string) => page.screenshot({ path: `tmp/screens/${name}.png` });

async function noHorizontalOverflow(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const viewport = page.viewportSize()?.width ?? 0;
  expect(width).toBeLessThanOrEqual(viewport);
}

/** Scrolls the window-virtualised journey until `text` is rendered. */
async function scrollUntil(page: Page, locator: ReturnType<Page["getByText"]>) {
  for (let i = 0; i < 40 && !(await locator.count()); i++) await page.mouse.wheel(0, 600);
  await locator.first().scrollIntoViewIfNeeded();
  await expect(locator.first()).toBeVisible();
}

test("an owner reads the 12-day journey, replays it to the deposit, exports, splits, merges and erases", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const { owner, jo } = await demoLikeWorkspace(page);
  await page.goto(`/app/${owner.slug}/people/${jo}`);

  // Who they are: full contacts for a member, rung, customer number, first touch.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("jo.rivera@example.com");
  await expect(page.getByRole("link", { name: "+1 805 555 0100" })).toBeVisible();
  await expect(page.getByText(/^Customer #\d+$/)).toBeVisible();
  await expect(page.getByText("google / organic").first()).toBeVisible();

  // The journey by day, in words, with the details it stored.
  const feed = page.getByRole("feed", { name: "Journey" });
  await expect(feed.getByText("Day 1 · Mon Nov 2")).toBeVisible();
  await expect(feed.getByText("Landed on / from a Google search")).toBeVisible();
  await expect(feed.getByText("2m 18s")).toBeVisible();
  await expect(feed.getByText("100%")).toBeVisible();
  await expect(feed.getByText("“tier-1k”")).toBeVisible();
  await view(page, "journey-1280-top");
  await expect(feed.getByText("Climbed to rung 1 · Returning device")).toBeVisible();
  await expect(feed.getByText("Qualify agent qualified the lead")).toBeVisible();
  await expect(feed.getByText("Qualify agent: qualified_lead")).toHaveCount(0);
  await scrollUntil(page, feed.getByText("Day 4 · Thu Nov 5"));
  await expect(
    feed.getByTestId("message-text").filter({ hasText: "Hi! Got your quote - is Saturday morning free?" }),
  ).toBeVisible();
  await expect(feed.getByText("Paid a $50.00 deposit")).toBeVisible();
  await expect(feed.getByText("Climbed to rung 4 · Customer")).toBeVisible();
  await scrollUntil(page, feed.getByText("Sent them the pre-job briefing email"));
  await scrollUntil(page, feed.getByText("Day 12 · Fri Nov 13"));
  await expect(feed.getByText("14 signals · the whole journey")).toBeVisible();
  await screenshot(page, "journey-1280");

  // A click opens the event's details.
  await feed.getByRole("button", { name: "Paid a $50.00 deposit, details" }).click();
  const details = page.getByRole("dialog", { name: "Event details" });
  await expect(details).toContainText("Moving deposit");
  await expect(details).toContainText("Stripe");
  await expect(details).toContainText("account");
  await view(page, "event-details");
  await details.getByRole("button", { name: "Close" }).click();
  await expect(details).toBeHidden();

  // Filters by channel and source.
  await page
    .getByRole("navigation", { name: "Filter by channel" })
    .getByRole("link", { name: /^WhatsApp/ })
    .click();
  await expect(page.getByTestId("journey-event")).toHaveCount(2);
  await expect(page.getByTestId("journey-event").first()).toContainText("Messaged you on WhatsApp");
  await page
    .getByRole("navigation", { name: "Filter by source" })
    .getByRole("link", { name: /^Website/ })
    .click();
  await expect(page.getByTestId("journey-event")).toHaveCount(0);
  await expect(page.getByText("No signals match this filter.")).toBeVisible();
  await page.getByRole("navigation", { name: "Filter by channel" }).getByRole("link", { name: "All channels" }).click();
  await expect(page.getByTestId("journey-event")).toHaveCount(5);
  await page.getByRole("navigation", { name: "Filter by source" }).getByRole("link", { name: "All sources" }).click();

  // One-click replay plays through to the deposit.
  await page.getByRole("button", { name: "Replay" }).click();
  const player = page.getByRole("dialog", { name: /^Replay/ });
  await expect(player.getByTestId("replay-stage")).toContainText("Landed on / from a Google search");
  await expect(player.getByRole("img", { name: "Identity ladder" })).toBeVisible();
  await expect(player.getByRole("region", { name: "Channel lanes" })).toContainText("WhatsApp");
  await player.getByRole("button", { name: "4×" }).click();
  await expect(player.getByTestId("replay-outcome")).toContainText("Paid a $50.00 deposit — a paying customer", {
    timeout: 20_000,
  });
  await view(page, "replay-1280");
  await expect(player.getByTestId("replay-position")).toHaveText("Step 14 of 14", { timeout: 20_000 });
  await expect(player.getByRole("button", { name: "Play again" })).toBeVisible();
  await player.getByRole("button", { name: "Previous step" }).click();
  await expect(player.getByTestId("replay-position")).toHaveText("Step 13 of 14");
  await player.getByRole("button", { name: "Step 8: Messaged you on WhatsApp" }).click();
  await expect(player.getByTestId("replay-stage")).toContainText("Hi! Got your quote - is Saturday morning free?");
  await expect(player.getByTestId("replay-stage")).toContainText("Day 4 · 9:12 AM");
  await player.getByRole("button", { name: "Close" }).click();

  // Export: a JSON download with everything, and the request logged on the page.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export JSON" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`person-${jo}.json`);
  const exported = JSON.parse(fs.readFileSync((await file.path()) ?? "", "utf8"));
  expect(exported.events).toHaveLength(14);
  await expect(page.getByRole("list", { name: "Privacy requests" })).toContainText("Export via owner");

  // Split the phone off into a new person, then merge it back, found by search.
  await page.getByRole("button", { name: "Split", exact: true }).click();
  const splitDialog = page.getByRole("dialog", { name: "Split this person" });
  await splitDialog.getByRole("checkbox", { name: /\+18055550100/ }).check();
  await view(page, "split-dialog");
  await splitDialog.getByRole("button", { name: "Split off 1 identifier" }).click();
  await expect(splitDialog.getByText("Split off into a new person.")).toBeVisible();
  await splitDialog.getByRole("button", { name: "Stay here" }).click();
  await expect(page.getByRole("link", { name: "+1 805 555 0100" })).toHaveCount(0);
  await scrollUntil(page, page.getByTestId("journey-record").filter({ hasText: "a phone and their events moved" }));

  await page.getByRole("button", { name: "Merge", exact: true }).click();
  const mergeDialog = page.getByRole("dialog", { name: "Merge with another person" });
  await mergeDialog.getByLabel("Find a person by name, email or phone").fill("(805) 555-0100");
  await mergeDialog.getByRole("radio").first().check();
  await view(page, "merge-dialog");
  await mergeDialog.getByRole("button", { name: /^Merge with/ }).click();
  await expect(mergeDialog).toBeHidden();
  await expect(page.getByRole("link", { name: "+1 805 555 0100" })).toBeVisible();
  await scrollUntil(page, page.getByTestId("journey-record").filter({ hasText: /^Merged by/ }));
  await screenshot(page, "journey-after-split-merge");

  // Erase, with a typed confirmation.
  await page.getByRole("button", { name: "Erase", exact: true }).click();
  const eraseDialog = page.getByRole("dialog", { name: "Erase jo.rivera@example.com" });
  const confirm = eraseDialog.getByRole("button", { name: "Erase everything" });
  await expect(confirm).toBeDisabled();
  await eraseDialog.getByLabel('Type "erase" to confirm').fill("erase");
  await view(page, "erase-dialog");
  await confirm.click();
  await expect(page.getByTestId("erased-notice")).toContainText("Erased on");
  await screenshot(page, "journey-erased");
});

test("at 390 px the journey and the replay fit the phone", async ({ page }) => {
  test.setTimeout(90_000);
  const { owner, jo } = await demoLikeWorkspace(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/app/${owner.slug}/people/${jo}`);
  await expect(page.getByText("Day 1 · Mon Nov 2")).toBeVisible();
  await scrollUntil(page, page.getByTestId("message-text").filter({ hasText: "Saturday morning free?" }));
  await noHorizontalOverflow(page);
  await screenshot(page, "journey-390");
  await page.evaluate(() => window.scrollTo(0, 0));
  await view(page, "journey-390-top");
  await page.getByRole("button", { name: "Replay" }).click();
  const player = page.getByRole("dialog", { name: /^Replay/ });
  await player.getByRole("button", { name: "4×" }).click();
  await expect(player.getByTestId("replay-outcome")).toBeVisible({ timeout: 20_000 });
  await player.getByRole("button", { name: "Pause" }).click();
  await noHorizontalOverflow(page);
  const inner = await player.evaluate((d) => d.scrollWidth - d.clientWidth);
  expect(inner).toBeLessThanOrEqual(0);
  await view(page, "replay-390");
});

test("a person with 10,000 events: the list stays small in the DOM and pages in as it scrolls", async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const owner = await signUp(page);
  const key = await createKeyInUi(page, owner.slug);
  const start = Date.parse("2026-01-01T00:00:00Z");
  const types = ["page_view", "message_in", "email_opened", "agent_action"] as const;
  const events = Array.from({ length: 10_000 }, (_, n) => {
    // The first six: a quick run of page views (a burst); then a signal every 17 minutes.
    const type = n < 6 ? "page_view" : (types[n % types.length] as (typeof types)[number]);
    const at = n < 6 ? start + n * 30_000 : start + n * 17 * 60_000;
    const base = { id: `big${n}`, occurredAt: new Date(at).toISOString(), type };
    // Every event carries the email, so all 10,000 are one person.
    if (type === "page_view")
      return {
        ...base,
        source: "web",
        identity: { deviceId: "d_big", email: "big@a.test" },
        properties: { url: `https://a.test/p${n}/` },
      };
    if (type === "message_in")
      return {
        ...base,
        source: "channel",
        channel: "sms",
        direction: "in",
        identity: { phone: "+18055550199", email: "big@a.test" },
        properties: { body: `Message number ${n}` },
      };
    if (type === "email_opened")
      return { ...base, source: "email", identity: { email: "big@a.test" }, properties: { kind: "quote" } };
    return {
      ...base,
      source: "agent",
      identity: { email: "big@a.test" },
      properties: { agent: "faq", action: "answered_question" },
    };
  });
  let id = "";
  for (let i = 0; i < events.length; i += 500) {
    const res = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: { events: events.slice(i, i + 500) },
      timeout: 60_000,
    });
    expect(res.status()).toBe(200);
    id = (await res.json()).results.at(-1).profileId;
  }
  const took: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 10; i++) {
    const t = Date.now();
    const res = await page.request.get(
      `/api/app/${owner.slug}/people/${id}/timeline?limit=200${cursor ? `&cursor=${cursor}` : ""}`,
    );
    took.push(Date.now() - t);
    const body: { nextCursor: string | null } = await res.json();
    cursor = body.nextCursor;
  }
  took.sort((a, b) => a - b);
  console.log(`timeline page of 200 for a 10,000-event person: median ${took[5]} ms, max ${took[9]} ms`);

  await page.goto(`/app/${owner.slug}/people/${id}`);
  await expect(page.getByText("200 signals so far — scroll for more")).toBeVisible();
  const burst = page.getByTestId("journey-burst");
  // The first page view took them onto the ladder, so it stands alone; the next five fold.
  await expect(burst).toContainText("Viewed 5 pages in 2 min");
  await burst.getByRole("button", { name: /Show all 5 steps/ }).click();
  await expect(page.getByRole("button", { name: "Viewed /p5/, details" })).toBeVisible();
  await burst.getByRole("button", { name: /Hide the steps/ }).click();
  await expect(page.getByRole("button", { name: "Viewed /p5/, details" })).toHaveCount(0);
  expect(await page.getByTestId("journey-event").count()).toBeLessThan(60);
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 4000);
  const status = page.getByText(/^[\d,]+ signals so far/);
  await expect(async () => {
    const loaded = Number(((await status.textContent()) ?? "").split(" ")[0]?.replace(/,/g, ""));
    expect(loaded).toBeGreaterThan(600);
  }).toPass();
  expect(await page.getByTestId("journey-event").count()).toBeLessThan(60);
  // Wherever the scrolling stopped, the rows there are drawn.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          [...document.querySelectorAll('[data-testid="journey-event"]')].filter((el) => {
            const r = el.getBoundingClientRect();
            return r.bottom > 0 && r.top < window.innerHeight;
          }).length,
      ),
    )
    .toBeGreaterThan(3);
  await view(page, "journey-10k");

  // The replay of a long history plays its first 5,000 steps and says so.
  await page.getByRole("button", { name: "Replay" }).click();
  const player = page.getByRole("dialog", { name: /^Replay/ });
  await expect(player.getByText("Replaying the first 4,996 steps of 10,000 signals.")).toBeVisible({ timeout: 20_000 });
  await player.getByRole("button", { name: "Pause" }).click();
  const position = player.getByTestId("replay-position");
  const at = Number(/Step ([\d,]+)/.exec((await position.textContent()) ?? "")?.[1]?.replace(/,/g, ""));
  await player.getByRole("button", { name: "Next step" }).click();
  await expect(position).toHaveText(`Step ${at + 1} of 4,996`);
});
