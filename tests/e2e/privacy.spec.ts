import http from "node:http";
import { type APIRequestContext, type Browser, expect, type Page, type Response, test } from "@playwright/test";
import { APP_PORT, SITE_PORT } from "./env.ts";
import { logIn, logOut, ownerWithKeys, screenshot } from "./fixtures.ts";

// The business's own website on its own origin. `/tp/…` embeds the tracker from the app (third-party);
// `/fp/…` serves it first-party: `/ot/*` is proxied to the app as a business would rewrite it
// (docs/first-party-serving.md), so the script, its config call and its events all stay on this origin.
const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const SITE = `http://localhost:${SITE_PORT}`;
let siteKey = "";

function proxyToApp(req: http.IncomingMessage, res: http.ServerResponse) {
  const upstream = http.request(
    {
      host: "localhost",
      port: APP_PORT,
      method: req.method,
      path: (req.url ?? "/").replace(/^\/ot/, "") || "/",
      headers: {
        ...req.headers,
        host: `localhost:${APP_PORT}`,
        "x-forwarded-host": req.headers.host ?? "",
        "x-forwarded-proto": "http",
      },
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", () => {
    res.statusCode = 502;
    res.end();
  });
  req.pipe(upstream);
}

const server = http.createServer((req, res) => {
  if (req.url?.startsWith("/ot/")) return proxyToApp(req, res);
  const src = req.url?.startsWith("/fp/") ? "/ot/t.js" : `http://localhost:${APP_PORT}/t.js`;
  res.setHeader("content-type", "text/html");
  res.end(`<!doctype html><html><head><title>Acme Movers</title>
<script defer src="${src}" data-site="${siteKey}" data-consent="auto"></script></head>
<body><h1>Acme Movers ${req.url}</h1></body></html>`);
});

test.beforeAll(() => new Promise<void>((r) => server.listen(SITE_PORT, r)));
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

const isCollect = (url: string) => new URL(url).pathname.endsWith("/api/collect");

/** The next /api/collect request carrying an event of this type. */
async function collected(page: Page, type: string) {
  const req = await page.waitForRequest((r) => isCollect(r.url()) && (r.postData() ?? "").includes(`"type":"${type}"`));
  return JSON.parse(req.postData() ?? "{}") as { deviceId: string; events: { id: string; type: string }[] };
}

async function ownerWithKey(page: Page) {
  const { owner, key, siteKey: site } = await ownerWithKeys(page);
  siteKey = site;
  return { owner, auth: { authorization: `Bearer ${key}` } };
}

async function visitorPage(browser: Browser, options: Parameters<Browser["newContext"]>[0] = {}) {
  return (await browser.newContext({ userAgent: CHROME_UA, ...options })).newPage();
}

/** The profile of a device once its events have arrived. */
async function profileOfDevice(request: APIRequestContext, auth: Record<string, string>, deviceId: string) {
  const url = `/api/v1/profiles?deviceId=${deviceId}`;
  await expect.poll(async () => (await request.get(url, { headers: auth })).status()).toBe(200);
  return (await (await request.get(url, { headers: auth })).json()).profile as { id: string };
}

async function eventsOf(request: APIRequestContext, auth: Record<string, string>, profileId: string) {
  const res = await request.get(`/api/v1/profiles/${profileId}/timeline?limit=1000`, { headers: auth });
  return (await res.json()).events as { type: string; properties: Record<string, unknown> }[];
}

test("a Do-Not-Track visitor is not tracked: no event, no cookie", async ({ page, browser }) => {
  await ownerWithKey(page);
  const visitor = await visitorPage(browser, { extraHTTPHeaders: { DNT: "1" } });
  await visitor.addInitScript(() => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" }));
  const posts: string[] = [];
  visitor.on("request", (r) => r.method() === "POST" && posts.push(r.url()));
  const config = visitor.waitForResponse((r) => r.url().includes("/api/collect/config"));
  await visitor.goto(`${SITE}/tp/?utm_source=google`);
  expect(await (await config).json()).toMatchObject({ dnt: true });
  await visitor.waitForTimeout(2500); // the tracker sends a second after an event
  expect(posts).toEqual([]);
  expect((await visitor.context().cookies()).map((c) => c.name)).not.toContain("ot_id");
  await visitor.context().close();
});

test("a GPC visitor is tracked, and the person is marked: no conversion send-back, shown on the person page", async ({
  page,
  browser,
  request,
}) => {
  const { owner, auth } = await ownerWithKey(page);
  const visitor = await visitorPage(browser, { extraHTTPHeaders: { "Sec-GPC": "1" } });
  await visitor.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true }),
  );
  const landing = collected(visitor, "page_view");
  const answered = visitor.waitForResponse((r) => isCollect(r.url()) && r.request().method() === "POST");
  await visitor.goto(`${SITE}/tp/`);
  const sent = await landing;
  // Third-party (the app's own host): the server sets no cookie, the tracker's own is the only one.
  expect(await (await answered).headerValue("set-cookie")).toBeNull();
  const profile = await profileOfDevice(request, auth, sent.deviceId);
  await page.goto(`/app/${owner.slug}/people/${profile.id}`);
  await expect(page.getByText("Global Privacy Control", { exact: true })).toBeVisible();
  await expect(page.getByText("Loading the timeline…")).toHaveCount(0);
  await screenshot(page, "privacy-gpc-person");
  await visitor.context().close();
});

test("withdrawal: onethread.consent('denied') records the choice, removes the cookie, and later events are not stored", async ({
  page,
  browser,
  request,
}) => {
  const { auth } = await ownerWithKey(page);
  const visitor = await visitorPage(browser);
  const landing = collected(visitor, "page_view");
  await visitor.goto(`${SITE}/tp/`);
  const { deviceId } = await landing;
  const profile = await profileOfDevice(request, auth, deviceId);

  const withdrawal = collected(visitor, "consent");
  await visitor.evaluate(() =>
    (window as unknown as { onethread: { consent(c: string): void } }).onethread.consent("denied"),
  );
  expect((await withdrawal).deviceId).toBe(deviceId);
  // The page sees the cookie gone at once; the browser's cookie store follows a moment later.
  expect(await visitor.evaluate(() => document.cookie)).not.toContain("ot_id=");
  const jar = () => visitor.context().cookies();
  await expect.poll(async () => (await jar()).find((c) => c.name === "ot_id")).toBeUndefined();
  expect((await jar()).find((c) => c.name === "ot_consent")?.value).toBe("denied");
  await expect.poll(async () => (await eventsOf(request, auth, profile.id)).map((e) => e.type)).toContain("consent");
  const before = (await eventsOf(request, auth, profile.id)).length;

  // A misbehaving tracker that keeps sending with the old device id, a second later: accepted, not stored.
  await visitor.waitForTimeout(1000);
  const res = await request.post(`http://localhost:${APP_PORT}/api/collect`, {
    data: JSON.stringify({
      site: siteKey,
      deviceId,
      events: [{ id: `e_after_${Date.now()}`, type: "page_view", ts: Date.now(), url: `${SITE}/tp/after/` }],
    }),
    headers: { "content-type": "text/plain;charset=UTF-8" },
  });
  expect(res.status()).toBe(202);
  expect((await eventsOf(request, auth, profile.id)).length).toBe(before);
  await visitor.context().close();
});

test("first-party serving: the proxied endpoint sets ot_id from the server, and the first touch is the landing's campaign", async ({
  page,
  browser,
  request,
}) => {
  const { owner, auth } = await ownerWithKey(page);
  const visitor = await visitorPage(browser);
  const requests: string[] = [];
  visitor.on("request", (r) => requests.push(r.url()));
  const answered = visitor.waitForResponse(
    (r: Response) => r.url() === `${SITE}/ot/api/collect` && r.request().method() === "POST",
  );
  await visitor.goto(
    `${SITE}/fp/movers/?utm_source=google&utm_medium=cpc&utm_campaign=fp-movers&utm_content=creative-7&gclid=Cj0KfP`,
  );
  const response = await answered;
  const { deviceId } = JSON.parse(response.request().postData() ?? "{}") as { deviceId: string };
  expect(deviceId).toMatch(/^d_\d+$/);
  // Nothing went to the app's own origin: script, config and events all came through the business's domain.
  expect(requests.filter((u) => u.startsWith(`http://localhost:${APP_PORT}`))).toEqual([]);
  const setCookie = (await response.headerValue("set-cookie")) ?? "";
  expect(setCookie).toMatch(new RegExp(`^ot_id=${deviceId}; Path=/; Max-Age=\\d+; SameSite=Lax$`));
  const maxAge = Number(/Max-Age=(\d+)/.exec(setCookie)?.[1]);
  expect(maxAge).toBeGreaterThan(34_214_400 - 120);
  expect(maxAge).toBeLessThanOrEqual(34_214_400);
  const cookie = (await visitor.context().cookies(SITE)).find((c) => c.name === "ot_id");
  expect(cookie).toMatchObject({ value: deviceId, httpOnly: false, sameSite: "Lax", path: "/" });

  const profile = await profileOfDevice(request, auth, deviceId);
  await expect.poll(async () => (await eventsOf(request, auth, profile.id)).map((e) => e.type)).toContain("ad_click");
  // The owner, logged in afresh, reads the person's first touch on their page.
  await logOut(page);
  await logIn(page, owner.email, owner.password);
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
  await page.goto(`/app/${owner.slug}/people/${profile.id}`);
  const firstTouch = page.locator("h3", { hasText: "First touch" }).locator("+ dl");
  await expect(firstTouch).toContainText("fp-movers");
  await expect(firstTouch).toContainText("google");
  await expect(firstTouch).toContainText("Cj0KfP");
  await expect(page.getByRole("feed", { name: "Journey" })).toContainText("Clicked a Google ad");
  await screenshot(page, "privacy-first-party-person");
  await visitor.context().close();
});
