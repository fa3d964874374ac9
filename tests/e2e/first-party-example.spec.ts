import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { APP_PORT, EXAMPLE_PORT } from "./env.ts";
import { ownerWithKeys } from "./fixtures.ts";

// examples/first-party-nextjs is the documented way to serve the tracker from the business's own domain
// (docs/first-party-serving.md): a Next.js site whose rewrites proxy /ot/* to OneThread. Here it is built and
// run for real as that business's site, with OneThread (the app under test) as the rewrite's destination.
const EXAMPLE = "examples/first-party-nextjs";
const SITE = `http://localhost:${EXAMPLE_PORT}`;
const CHROME_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
let site: ChildProcess | undefined;

test.beforeAll(() => {
  test.setTimeout(180_000);
  // Next.js reads rewrites when it builds: the destination is fixed then.
  const build = spawnSync("node_modules/.bin/next", ["build", EXAMPLE], {
    encoding: "utf8",
    env: { ...process.env, ONETHREAD_ORIGIN: `http://localhost:${APP_PORT}` },
  });
  if (build.status !== 0) throw new Error(`The example did not build:\n${build.stdout}\n${build.stderr}`);
});
test.afterAll(() => {
  site?.kill("SIGTERM");
});

async function startExample(siteKey: string) {
  site = spawn("node_modules/.bin/next", ["start", EXAMPLE, "-p", String(EXAMPLE_PORT)], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      ONETHREAD_SITE_KEY: siteKey,
    },
    stdio: "ignore",
  });
  await expect
    .poll(
      () =>
        fetch(SITE).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 30_000 },
    )
    .toBe(200);
}

test("the Next.js rewrite example serves t.js and /api/collect from the business's domain; the server sets ot_id", async ({
  page,
  browser,
  request,
}) => {
  const { key, siteKey } = await ownerWithKeys(page);
  await startExample(siteKey);

  const visitor = await (await browser.newContext({ userAgent: CHROME_UA })).newPage();
  const hosts = new Set<string>();
  visitor.on("request", (r) => hosts.add(new URL(r.url()).host));
  const answered = visitor.waitForResponse(
    (r) => r.url() === `${SITE}/ot/api/collect` && r.request().method() === "POST",
  );
  await visitor.goto(`${SITE}/?utm_source=newsletter&utm_medium=email&utm_campaign=first-party`);
  const response = await answered;
  expect(response.status()).toBe(202);
  // Script, config call and events: all through the business's own host, none to OneThread's.
  expect([...hosts]).toEqual([`localhost:${EXAMPLE_PORT}`]);

  const { deviceId } = JSON.parse(response.request().postData() ?? "{}") as { deviceId: string };
  const setCookie = (await response.headerValue("set-cookie")) ?? "";
  expect(setCookie).toMatch(new RegExp(`^ot_id=${deviceId}; Path=/; Max-Age=\\d+; SameSite=Lax$`));
  const cookie = (await visitor.context().cookies(SITE)).find((c) => c.name === "ot_id");
  expect(cookie?.value).toBe(deviceId);
  expect(cookie?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 390 * 86_400); // 13 months, not 7 days

  const auth = { authorization: `Bearer ${key}` };
  const url = `/api/v1/profiles?deviceId=${deviceId}`;
  await expect.poll(async () => (await request.get(url, { headers: auth })).status()).toBe(200);
  const found = await (await request.get(url, { headers: auth })).json();
  expect(found.profile.attribution.first).toMatchObject({ utm_source: "newsletter", utm_campaign: "first-party" });
  await visitor.context().close();
});
