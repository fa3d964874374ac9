import http from "node:http";
import { expect, type Page, test } from "@playwright/test";
import { APP_PORT, SITE_PORT } from "./env.ts";
import { ownerWithKeys, signUp, siteKeyInUi, unique } from "./fixtures.ts";

// A small customer website on its own origin that embeds the built t.js from the app.
const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
let siteKey = "";
let consent = "auto";
// Forms whose page is gone as soon as they are submitted: the browser's own POST, and a script that moves on.
const LEAVING: Record<string, string> = {
  "/native-form/": `<form id="native" action="/thanks/" method="post">`,
  "/js-form/": `<form id="js" onsubmit="event.preventDefault(); location.href = '/next/'">`,
};
const server = http.createServer((req, res) => {
  req.resume(); // a form POST's body is not read
  res.setHeader("content-type", "text/html");
  const leaving = LEAVING[req.url ?? ""];
  res.end(`<!doctype html><html><head><title>Acme Movers</title>
<script defer src="http://localhost:${APP_PORT}/t.js" data-site="${siteKey}" data-consent="${consent}"></script></head>
<body><h1>Acme Movers ${req.url}</h1>${
    leaving
      ? `${leaving}<label>Email <input type="email" name="email"></label><button type="submit">Send</button></form>`
      : `
<button id="spa" onclick="history.pushState({}, '', '/pricing/'); history.pushState({}, '', '/pricing/')">Pricing</button>
<form id="quote" onsubmit="event.preventDefault()">
  <label>Email <input type="email" name="email"></label>
  <label>Password <input type="password" name="password"></label>
  <label>Notes <textarea name="notes"></textarea></label>
  <button type="submit">Get a quote</button>
</form><div style="height:3000px"></div>`
  }</body></html>`);
});

test.beforeAll(() => new Promise<void>((r) => server.listen(SITE_PORT, r)));
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));
test.use({ userAgent: CHROME_UA });

/** A cookie as the browser stores it: written by the page, it may take a moment to show there (poll it). */
async function cookieValue(page: Page, name: string) {
  return (await page.context().cookies()).find((c) => c.name === name)?.value;
}

async function collected(page: Page, type: string) {
  const req = await page.waitForRequest(
    (r) => r.url().endsWith("/api/collect") && (r.postData() ?? "").includes(`"type":"${type}"`),
  );
  return JSON.parse(req.postData() ?? "{}") as {
    deviceId: string;
    events: { id: string; type: string; props?: Record<string, unknown> }[];
  };
}

test("outside the consent regime: cookie set, page view sent, SPA navigation counted once, a quote form identifies without storing the password or notes", async ({
  page,
  browser,
  request,
}) => {
  const { key, siteKey: site } = await ownerWithKeys(page);
  siteKey = site;
  consent = "auto";
  const visitor = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
  const landing = collected(visitor, "page_view");
  await visitor.goto(`http://localhost:${SITE_PORT}/?utm_source=google&utm_medium=cpc&utm_campaign=movers`);
  const first = await landing;
  await expect.poll(() => cookieValue(visitor, "ot_id")).toBe(first.deviceId);
  expect(first.deviceId).toMatch(/^d_/);

  const spa = collected(visitor, "page_view");
  await visitor.getByRole("button", { name: "Pricing" }).click();
  const second = await spa;
  expect(second.events.filter((e) => e.type === "page_view")).toHaveLength(1);

  const submitted = collected(visitor, "form_submit");
  await visitor.getByLabel("Email").fill("quote.person@example.com");
  await visitor.getByLabel("Password").fill("hunter2-secret");
  await visitor.getByLabel("Notes").fill("my secret notes about the piano");
  await visitor.getByRole("button", { name: "Get a quote" }).click();
  const form = await submitted;
  const body = JSON.stringify(form);
  expect(body).not.toContain("hunter2-secret");
  expect(body).not.toContain("secret notes");

  const auth = { authorization: `Bearer ${key}` };
  await expect
    .poll(async () =>
      (await request.get(`/api/v1/profiles?email=quote.person@example.com`, { headers: auth })).status(),
    )
    .toBe(200);
  const found = await (await request.get(`/api/v1/profiles?email=quote.person@example.com`, { headers: auth })).json();
  expect(found.profile.rung).toBe(2);
  const byDevice = await (await request.get(`/api/v1/profiles?deviceId=${first.deviceId}`, { headers: auth })).json();
  expect(byDevice.profile.id).toBe(found.profile.id); // the anonymous visits are stitched to the email
  const timeline = await (await request.get(`/api/v1/profiles/${found.profile.id}/timeline`, { headers: auth })).json();
  expect(timeline.events.filter((e: { type: string }) => e.type === "page_view")).toHaveLength(2);
  expect(JSON.stringify(timeline)).not.toContain("hunter2");
  expect(found.profile.attribution.first).toMatchObject({
    utm_source: "google",
    utm_medium: "cpc",
    utm_campaign: "movers",
  });
  await visitor.context().close();
});

// The submit is the last moment of the page: the form_submit that makes the visitor known must leave with it.
for (const [path, next] of [
  ["/native-form/", "/thanks/"],
  ["/js-form/", "/next/"],
] as const) {
  test(`a form on ${path} that leaves for ${next} at once still identifies the visitor, once, with the earlier visit stitched`, async ({
    page,
    browser,
    request,
  }) => {
    const { key, siteKey: site } = await ownerWithKeys(page);
    siteKey = site;
    consent = "auto";
    const visitor = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
    // Playwright reports no beacon: a spy on fetch and sendBeacon keeps every body the tracker sends in the
    // site's localStorage, where the next page can read what the page that is gone sent.
    await visitor.addInitScript(() => {
      const keep = (body: unknown) => localStorage.setItem("sent", `${localStorage.getItem("sent") ?? ""}${body}\n`);
      const { fetch } = window;
      window.fetch = (input, init) => {
        if (init?.body) keep(init.body);
        return fetch(input, init);
      };
      const beacon = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url, data) => {
        const queued = beacon(url, data);
        if (queued) keep(data);
        return queued;
      };
    });
    const landing = collected(visitor, "page_view");
    await visitor.goto(`http://localhost:${SITE_PORT}${path}`);
    const { deviceId, events } = await landing;
    const email = `${unique("leaver")}@example.com`;
    await visitor.getByLabel("Email").fill(email);
    await visitor.getByRole("button", { name: "Send" }).click();
    await visitor.waitForURL(`**${next}`);

    const auth = { authorization: `Bearer ${key}` };
    const person = async () => {
      const found = await request.get(`/api/v1/profiles?email=${email}`, { headers: auth });
      return found.status() === 200 ? (await found.json()).profile : undefined;
    };
    await expect.poll(async () => (await person())?.rung).toBe(2);
    const { id } = await person();
    const byDevice = await (await request.get(`/api/v1/profiles?deviceId=${deviceId}`, { headers: auth })).json();
    expect(byDevice.profile.id).toBe(id);
    const timeline = await (await request.get(`/api/v1/profiles/${id}/timeline`, { headers: auth })).json();
    const ids = timeline.events.map((e: { id: string }) => e.id);
    expect(ids).toContain(events.find((e) => e.type === "page_view")?.id);
    expect(timeline.events.filter((e: { type: string }) => e.type === "form_submit")).toHaveLength(1);
    const sent = (await visitor.evaluate(() => localStorage.getItem("sent"))) ?? "";
    expect(sent.split('"type":"form_submit"')).toHaveLength(2); // sent once, not again by the page-hide flush
    await visitor.context().close();
  });
}

test("scroll depth and engaged time are recorded on the person's timeline", async ({ page, browser, request }) => {
  const { key, siteKey: site } = await ownerWithKeys(page);
  siteKey = site;
  consent = "auto";
  const visitor = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
  const landing = collected(visitor, "page_view");
  await visitor.goto(`http://localhost:${SITE_PORT}/`);
  const { deviceId } = await landing;

  // Scrolling to the bottom passes every depth once; scrolling back and down again adds nothing.
  const scrolled = collected(visitor, "scroll");
  await visitor.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await scrolled;
  await visitor.evaluate(() => window.scrollTo(0, 0));
  await visitor.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));

  // About two seconds on the page, then an SPA navigation: the engaged time goes out before the next page view.
  await visitor.waitForTimeout(2200);
  const engaged = collected(visitor, "engagement");
  await visitor.getByRole("button", { name: "Pricing" }).click();
  await engaged;

  const auth = { authorization: `Bearer ${key}` };
  type Ev = { type: string; properties: { depth?: number; seconds?: number } };
  const events = async () => {
    const found = await request.get(`/api/v1/profiles?deviceId=${deviceId}`, { headers: auth });
    if (found.status() !== 200) return [] as Ev[];
    const id = (await found.json()).profile.id;
    return (await (await request.get(`/api/v1/profiles/${id}/timeline`, { headers: auth })).json()).events as Ev[];
  };
  await expect.poll(async () => (await events()).filter((e) => e.type === "engagement").length).toBe(1);
  const stored = await events();
  expect(stored.filter((e) => e.type === "scroll").map((e) => Number(e.properties.depth))).toEqual([25, 50, 75, 100]);
  const seconds = Number(stored.find((e) => e.type === "engagement")?.properties.seconds);
  expect(seconds).toBeGreaterThanOrEqual(2);
  expect(seconds).toBeLessThan(30);
  await visitor.context().close();
});

test("consent required: no cookie, no storage and no request before acceptance; then the held page view arrives", async ({
  page,
  browser,
}) => {
  const owner = await signUp(page);
  siteKey = await siteKeyInUi(page, owner.slug);
  consent = "required";
  const visitor = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
  const beacons: string[] = [];
  visitor.on("request", (r) => r.url().includes("/api/collect") && beacons.push(r.postData() ?? ""));
  await visitor.goto(`http://localhost:${SITE_PORT}/`);
  const banner = visitor.getByRole("dialog", { name: "Cookie consent" });
  await expect(banner).toBeVisible();
  expect(await visitor.context().cookies()).toEqual([]);
  expect(await visitor.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  expect(beacons).toEqual([]);

  const held = collected(visitor, "page_view");
  const recorded = collected(visitor, "consent"); // P3: the choice itself is recorded
  await banner.getByRole("button", { name: "Accept" }).click();
  const sent = await held;
  expect((await recorded).events.find((e) => e.type === "consent")?.props).toMatchObject({
    choice: "granted",
    bannerVersion: "v1",
  });
  await expect.poll(() => cookieValue(visitor, "ot_id")).toBe(sent.deviceId);
  await expect.poll(() => cookieValue(visitor, "ot_consent")).toBe("granted");
  await expect(banner).toHaveCount(0);
  await visitor.context().close();
});

test("a bot is not tracked", async ({ page, browser }) => {
  const owner = await signUp(page);
  siteKey = await siteKeyInUi(page, owner.slug);
  consent = "auto";
  const bot = await (
    await browser.newContext({ userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" })
  ).newPage();
  const requests: string[] = [];
  bot.on("request", (r) => requests.push(r.url()));
  await bot.goto(`http://localhost:${SITE_PORT}/`);
  await bot.waitForLoadState("networkidle");
  expect(requests.filter((u) => u.includes("/api/collect"))).toEqual([]);
  expect((await bot.context().cookies()).find((c) => c.name === "ot_id")).toBeUndefined();
  await bot.context().close();
});
