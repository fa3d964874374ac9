import { expect, type Page, test } from "@playwright/test";
import { startFakeServer } from "../support/fake-ads.ts";
import { FAKE_ADS_PORT } from "./env.ts";
import { createKeyInUi, screenshot, signUp } from "./fixtures.ts";
import { horizontalOverflow, PHONE } from "./phone-width.ts";

// Conversion send-back (decision 021): an owner connects Meta and Google Ads in Settings → Integrations; a
// lead from a Meta ad goes to Meta (the fake answers as Meta does) and shows "Sent to Meta ✓" on the person's
// journey; Google refuses one from a Google ad, and the failure is shown under Integrations and on that journey.
test("connect Meta and Google, a conversion sent to Meta ✓ and one Google refused, desktop and 390 px", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const fake = await startFakeServer((req) => {
    if (req.path.endsWith("/events") && req.query.get("access_token"))
      return { status: 200, body: { events_received: req.body.data.length, messages: [], fbtrace_id: "e2e" } };
    if (req.path === "/v1/events:ingest")
      return {
        status: 400,
        body: { error: { code: 400, message: "The conversion action was not found.", status: "INVALID_ARGUMENT" } },
      };
    return { status: 404, body: {} };
  }, FAKE_ADS_PORT);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    const owner = await signUp(page);
    const key = await createKeyInUi(page, owner.slug);
    await page.goto(`/app/${owner.slug}/settings/integrations`);
    const metaCard = page.getByTestId("sendback-meta");
    await expect(metaCard).toContainText("Not connected");
    await metaCard.getByLabel("Pixel (dataset) id").fill("12");
    await metaCard.getByLabel("Conversions API access token").fill("EAAGe2eMetaAccessToken0123456789");
    await metaCard.getByRole("button", { name: "Connect Meta" }).click();
    await expect(metaCard.getByText(/must be the pixel \(dataset\) id/)).toBeVisible();
    await metaCard.getByLabel("Pixel (dataset) id").fill("123456789012345");
    await metaCard.getByRole("button", { name: "Connect Meta" }).click();
    await expect(metaCard).toContainText("Connected");
    const googleCard = page.getByTestId("sendback-google");
    await googleCard.getByLabel("Google Ads customer id").fill("123-456-7890");
    await googleCard.getByLabel("Conversion action id").fill("987654321");
    await googleCard.getByLabel("OAuth access token").fill("ya29.e2eGoogleAccessToken0123456789");
    await googleCard.getByRole("button", { name: "Connect Google Ads" }).click();
    await expect(googleCard).toContainText("Connected");
    expect(await page.content()).not.toContain("EAAGe2eMetaAccessToken0123456789");

    // Two people from ads give their email in the quote form: two qualified leads.
    const at = Date.now() - 10 * 60_000;
    const res = await page.request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        events: [
          {
            id: "m_land",
            source: "web",
            type: "page_view",
            occurredAt: at,
            identity: { deviceId: "d_meta" },
            properties: { url: "https://acme.test/?fbclid=IwAR_e2e" },
          },
          {
            id: "m_form",
            source: "web",
            type: "form_submit",
            occurredAt: at + 60_000,
            identity: { deviceId: "d_meta", email: "meta.lead@example.com" },
          },
          {
            id: "g_land",
            source: "web",
            type: "page_view",
            occurredAt: at,
            identity: { deviceId: "d_google" },
            properties: { url: "https://acme.test/?gclid=Cj0_e2e" },
          },
          {
            id: "g_form",
            source: "web",
            type: "form_submit",
            occurredAt: at + 60_000,
            identity: { deviceId: "d_google", email: "google.lead@example.com" },
          },
        ],
      },
    });
    expect(res.status()).toBe(200);
    const results = (await res.json()).results as { id: string; profileId: string }[];
    const metaPerson = results.find((r) => r.id === "m_form")?.profileId ?? "";
    const googlePerson = results.find((r) => r.id === "g_form")?.profileId ?? "";

    // The deliver job: the cron route now, or the server's own scheduler within the minute.
    await expect
      .poll(
        async () => {
          await page.request.get("/api/cron/deliver", {
            headers: { authorization: "Bearer e2e-cron-secret-0123456789" },
          });
          return fake.requests.length;
        },
        { timeout: 90_000, intervals: [1000, 5000] },
      )
      .toBeGreaterThanOrEqual(2);
    const metaRequest = fake.requests.find((r) => r.path === "/v24.0/123456789012345/events");
    expect(metaRequest?.body.data[0]).toMatchObject({ event_name: "Lead", event_id: "m_form" });
    expect(metaRequest?.body.data[0].user_data.fbc).toMatch(/^fb\.1\.\d{13}\.IwAR_e2e$/);

    await page.reload();
    await expect(metaCard.getByLabel("Meta send-back counts")).toContainText("Sent1");
    await expect(googleCard.getByLabel("Google Ads send-back counts")).toContainText("Failed1");
    await expect(googleCard.getByRole("alert")).toContainText("The conversion action was not found.");
    const failure = googleCard.getByRole("list", { name: "Google Ads failures" });
    // The owner's own page names the person in full (the owner is the data controller), as the people list does.
    await expect(failure).toContainText("Lead of google.lead@example.com");
    await show(page, "settings-send-back-1280");

    await page.goto(`/app/${owner.slug}/people/${metaPerson}`);
    await expect(page.getByText("Sent to Meta ✓")).toBeVisible();
    await show(page, "journey-sent-to-meta-1280");

    await page.setViewportSize(PHONE);
    await page.goto(`/app/${owner.slug}/settings/integrations`);
    await expect(googleCard.getByRole("alert")).toContainText("The conversion action was not found.");
    expect(await horizontalOverflow(page)).toEqual([]);
    await show(page, "settings-send-back-390");
    await googleCard.locator("xpath=../..").screenshot({ path: "tmp/screens/settings-send-back-card-390.png" });
    await page.goto(`/app/${owner.slug}/people/${metaPerson}`);
    await expect(page.getByText("Sent to Meta ✓")).toBeVisible();
    expect(await horizontalOverflow(page)).toEqual([]);
    await show(page, "journey-sent-to-meta-390");
    await page.goto(`/app/${owner.slug}/people/${googlePerson}`);
    await expect(page.getByText("Google Ads refused: The conversion action was not found.")).toBeVisible();
    await show(page, "journey-google-refused-390");
  } finally {
    await fake.close();
  }
});

async function show(page: Page, name: string) {
  await screenshot(page, name);
}
