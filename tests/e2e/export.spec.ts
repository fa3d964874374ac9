import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { E2E_ENV } from "./env.ts";
import { createKeyInUi, screenshot, signUp } from "./fixtures.ts";
import { expectNoHorizontalOverflow, PHONE } from "./phone-width.ts";

// Settings → Data (issue 12 items 5 and 6, decision 016): the workspace export with its progress, and what the
// nightly purge did.
const BODY = 'Is "Saturday" free, at 9?';

async function ownerWithData(page: Page) {
  const owner = await signUp(page);
  const key = await createKeyInUi(page, owner.slug);
  const now = Date.now();
  const events = Array.from({ length: 120 }, (_, i) => ({
    id: `x${i}`,
    source: i % 3 === 2 ? "channel" : "web",
    type: i % 3 === 2 ? "message_in" : "page_view",
    occurredAt: new Date(now - (120 - i) * 60_000).toISOString(),
    identity:
      i % 3 === 2 ? { phone: `+1 805 555 01${String(i % 10).padStart(2, "0")}` } : { deviceId: `d_e2e_${i % 10}` },
    ...(i % 3 === 2 ? { channel: "sms", properties: { body: BODY } } : { properties: { url: "https://acme.test/" } }),
  }));
  const res = await page.request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events },
  });
  expect(res.status()).toBe(200);
  // The nightly purge, as Vercel's cron or the server's own schedule calls it (done, or already done today).
  const purge = await page.request.get("/api/cron/purge", {
    headers: { authorization: `Bearer ${E2E_ENV.CRON_SECRET}` },
  });
  expect(purge.status()).toBe(200);
  return owner;
}

async function exportOnce(page: Page, what: string, format: string) {
  await page.getByLabel("What").selectOption(what);
  await page.getByLabel("Format").selectOption(format);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const file = await download;
  await expect(page.getByText(/^Downloaded onethread-/)).toBeVisible();
  const text = fs.readFileSync((await file.path()) ?? "", "utf8");
  return { name: file.suggestedFilename(), text };
}

test("an owner exports events as CSV and conversations as NDJSON from Settings → Data, and sees the purge", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const owner = await ownerWithData(page);
  await page.goto(`/app/${owner.slug}/settings`);
  await expect(page.getByTestId("purge-line")).toContainText(/purge/i);
  await screenshot(page, "settings-general-purge");
  await page.getByRole("link", { name: "Retention and export" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Data" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Data & export" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("purge-summary")).toContainText(/purge/i);
  await expect(page.getByText(/Events older than 24 months/)).toBeVisible();

  const csv = await exportOnce(page, "events", "csv");
  expect(csv.name).toMatch(new RegExp(`^onethread-${owner.slug}-events-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const lines = csv.text.trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "id,profile_id,occurred_at,received_at,source,type,rung,channel,direction,summary,properties,campaign",
  );
  expect(lines).toHaveLength(121);
  // The message text is readable, its quotes doubled in the quoted JSON cell.
  expect(csv.text).toContain('""body"":""Is \\""Saturday\\"" free, at 9?""');
  await expect(page.getByText("Downloaded").first()).toContainText("120 rows");
  await screenshot(page, "settings-data");

  // A long export on a slow line (simulated under the page's fetch: 512 bytes every 40 ms): the count known up
  // front, rows and bytes as they arrive, a way to cancel.
  await page.evaluate(() => {
    const real = window.fetch.bind(window);
    window.fetch = async (input, init) => {
      const res = await real(input, init);
      if (!String(input).includes("/export?") || !res.body) return res;
      const reader = res.body.getReader();
      const slow = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) return controller.close();
          for (let i = 0; i < value.length; i += 512) {
            await new Promise((r) => setTimeout(r, 40));
            controller.enqueue(value.slice(i, i + 512));
          }
        },
      });
      return new Response(slow, { status: res.status, headers: res.headers });
    };
  });
  const slow = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export", exact: true }).click();
  await expect(page.getByTestId("export-progress")).toContainText(/^\d+ of 120 rows · \d/);
  await expect(page.getByRole("button", { name: "Cancel" })).toBeVisible();
  await screenshot(page, "settings-data-progress");
  await slow;
  await expect(page.getByText(/^Downloaded onethread-/)).toBeVisible();

  const turns = await exportOnce(page, "conversations", "ndjson");
  const rows = turns.text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(rows).toHaveLength(40);
  expect(rows[0]).toMatchObject({ kind: "message", channel: "sms", text: BODY });
});

test("Settings → Data at 390 px: nothing overflows, and the export still downloads", async ({ page }) => {
  const owner = await ownerWithData(page);
  await page.setViewportSize(PHONE);
  await page.goto(`/app/${owner.slug}/settings/data`);
  await expect(page.getByRole("heading", { level: 1, name: "Data" })).toBeVisible();
  await expectNoHorizontalOverflow(page, "Settings → Data");
  const json = await exportOnce(page, "profiles", "json");
  const doc = JSON.parse(json.text);
  expect(doc).toMatchObject({ workspace: owner.slug, what: "profiles" });
  expect(doc.profiles.length).toBe(doc.count);
  expect(
    doc.profiles.some((p: { identifiers: { value: string }[] }) =>
      p.identifiers.some((i) => i.value.startsWith("+1805")),
    ),
  ).toBe(true);
  await expectNoHorizontalOverflow(page, "Settings → Data after an export");
  await screenshot(page, "settings-data-phone");
});
