import http from "node:http";
import { expect, type Page, test } from "@playwright/test";
import { APP_PORT, SITE_PORT } from "./env.ts";
import { ownerWithKeys, screenshot } from "./fixtures.ts";

// The business's own site on another origin, embedding the built t.js (HeadlessChrome would count as a bot).
const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
let siteKey = "";
const server = http.createServer((req, res) => {
  res.setHeader("content-type", "text/html");
  res.end(`<!doctype html><html><head><title>Acme Movers</title>
<script defer src="http://localhost:${APP_PORT}/t.js" data-site="${siteKey}"></script></head>
<body><h1>Acme Movers ${req.url?.split("?")[0]}</h1></body></html>`);
});

test.beforeAll(() => new Promise<void>((r) => server.listen(SITE_PORT, r)));
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));
test.use({ userAgent: CHROME_UA });

async function collected(page: Page, type: string) {
  const req = await page.waitForRequest(
    (r) => r.url().endsWith("/api/collect") && (r.postData() ?? "").includes(`"type":"${type}"`),
  );
  return JSON.parse(req.postData() ?? "{}") as { deviceId: string; events: { type: string; props?: object }[] };
}

test("a tracked link opened on a new device joins that device to the person (R14); an unknown code is a friendly 404", async ({
  page,
  browser,
  request,
}) => {
  const { owner, key, siteKey: site } = await ownerWithKeys(page);
  siteKey = site;
  const auth = { authorization: `Bearer ${key}` };

  // A person known by email from their laptop.
  const ingested = await request.post("/api/v1/events", {
    headers: auth,
    data: {
      events: [
        {
          id: "laptop-1",
          source: "web",
          type: "identify",
          occurredAt: new Date().toISOString(),
          identity: { deviceId: "d_e2e_laptop", email: "link.person@example.com" },
        },
      ],
    },
  });
  expect(ingested.status()).toBe(200);
  const personId = (await ingested.json()).results[0].profileId as string;

  // A link to the business's site, sent by SMS.
  const created = await request.post("/api/v1/links", {
    headers: auth,
    data: {
      url: `http://localhost:${SITE_PORT}/moving-quote?ref=sms#details`,
      profileId: personId,
      channel: "sms",
      campaign: { utm_source: "sms", utm_campaign: "e2e-links" },
    },
  });
  expect(created.status()).toBe(201);
  const { shortUrl } = await created.json();
  expect(shortUrl).toMatch(new RegExp(`^http://localhost:${APP_PORT}/l/[0-9A-Za-z]{10}$`));

  // Their phone: a fresh browser that never saw the site, opening the short URL.
  const phone = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
  const clicked = collected(phone, "link_click");
  await phone.goto(shortUrl);
  await expect(phone.getByRole("heading", { name: "Acme Movers /moving-quote" })).toBeVisible();
  const landed = new URL(phone.url());
  const clickId = landed.searchParams.get("ot_c") ?? "";
  expect(clickId).toMatch(/^[A-Za-z]{22}$/);
  expect(landed.searchParams.get("ref")).toBe("sms");
  expect(landed.hash).toBe("#details");
  const beacon = await clicked;
  expect(beacon.events.find((e) => e.type === "link_click")?.props).toEqual({ ot_c: clickId });
  expect(beacon.deviceId).not.toBe("d_e2e_laptop");

  // The phone's device now belongs to the person.
  await expect
    .poll(
      async () =>
        (await (await request.get(`/api/v1/profiles?deviceId=${beacon.deviceId}`, { headers: auth })).json()).profile
          ?.id,
    )
    .toBe(personId);
  const profile = await (await request.get(`/api/v1/profiles/${personId}`, { headers: auth })).json();
  expect(profile.identifiers).toEqual(
    expect.arrayContaining([
      { type: "device", value: "d_e2e_laptop" },
      { type: "device", value: beacon.deviceId },
    ]),
  );
  const timeline = await (await request.get(`/api/v1/profiles/${personId}/timeline`, { headers: auth })).json();
  const types = timeline.events.map((e: { source: string; type: string }) => `${e.source}/${e.type}`);
  expect(types).toEqual(expect.arrayContaining(["pixel/link_clicked", "web/link_click", "web/page_view"]));
  expect(timeline.events.find((e: { type: string }) => e.type === "link_clicked")).toMatchObject({
    rung: 2,
    channel: "sms",
    properties: { channel: "sms", campaign: { utm_source: "sms", utm_campaign: "e2e-links" } },
  });

  // The owner sees it on the person's page.
  await page.goto(`/app/${owner.slug}/people/${personId}`);
  const events = page.getByRole("feed", { name: "Journey" });
  await expect(events).toContainText(`Tapped the localhost:${SITE_PORT}/moving-quote link in an SMS`);
  await expect(events).toContainText("Arrived through a tracked link on /moving-quote");
  // The campaign in words, not as JSON.
  await expect(events).toContainText("e2e-links");
  await expect(events).not.toContainText("utm_source");
  // The owner sees the phone's device among the person's identifiers (members see them whole).
  await expect(page.getByRole("listitem").filter({ hasText: beacon.deviceId })).toContainText("device");
  await screenshot(page, "person-link-click");
  await phone.context().close();

  // Someone with a broken or expired link.
  const stranger = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
  const res = await stranger.goto("/l/NoSuchCode9");
  expect(res?.status()).toBe(404);
  await expect(stranger.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  await expect(stranger.getByText("not valid or has expired")).toBeVisible();
  await screenshot(stranger, "link-not-found");
  await stranger.context().close();
});
