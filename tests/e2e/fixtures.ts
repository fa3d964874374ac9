import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { APP_PORT, databaseUrlFile } from "./env.ts";

export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

export interface Owner {
  email: string;
  password: string;
  business: string;
  slug: string;
}

/** Signs up through the real form and waits for the new workspace's overview. */
export async function signUp(page: Page, opts: { business?: string; email?: string } = {}): Promise<Owner> {
  const business = opts.business ?? `Studio ${unique("b")}`;
  const email = opts.email ?? `${unique("owner")}@e2e.test`;
  const password = "correct horse battery";
  await page.goto("/signup");
  await page.getByLabel("Your name").fill("Pat Owner");
  await page.getByLabel("Business name").fill(business);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByRole("heading", { level: 1, name: business })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[2] ?? "";
  return { email, password, business, slug };
}

export async function logIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
}

export async function logOut(page: Page) {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/**
 * The newest dev-outbox mail to `to`, and its first link, as /dev/outbox shows it to the page's user (the mail
 * of their workspaces: the e2e server opts in with DEV_OUTBOX=1).
 */
export async function latestMailLink(page: Page, to: string) {
  await page.goto("/dev/outbox");
  const mail = page
    .getByTestId("outbox-mail")
    .filter({ hasText: `To ${to}` })
    .first();
  await expect(mail).toBeVisible();
  return (await mail.getByRole("link").first().getAttribute("href")) ?? "";
}

/**
 * The newest login-link mail to `to` and its first link, read from the app's database: a production server
 * shows login links to nobody, not even with DEV_OUTBOX=1 (they would let anyone log in as anyone).
 */
/** The e2e app's database, for what no page shows a test (mail that only `npm run dev` would show). */
export async function withAppDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: fs.readFileSync(databaseUrlFile(APP_PORT), "utf8").trim() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** How many mails the app wrote to `to` (the outbox keeps every mail when no provider is set). */
export const mailsTo = (to: string) =>
  withAppDb(async (client) => {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxEmail" WHERE "to" = $1`, [
      to,
    ]);
    return rows[0]?.n ?? 0;
  });

export async function latestLoginLink(to: string) {
  return withAppDb(async (client) => {
    let text = "";
    await expect
      .poll(async () => {
        const { rows } = await client.query<{ text: string }>(
          `SELECT text FROM "OutboxEmail" WHERE "to" = $1 AND "workspaceId" IS NULL ORDER BY "createdAt" DESC LIMIT 1`,
          [to],
        );
        text = rows[0]?.text ?? "";
        return text;
      })
      .not.toBe("");
    return /https?:\/\/\S+/.exec(text)?.[0] ?? "";
  });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `tmp/screens/${name}.png`, fullPage: true });
}

/** Creates a secret key through the settings page and returns it (it is shown once). */
export async function createKeyInUi(page: Page, slug: string, name = "e2e key") {
  await page.goto(`/app/${slug}/settings/keys`);
  await page.getByLabel("New key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("New API key");
  await expect(shown).toHaveText(/^sk_/);
  return (await shown.textContent()) ?? "";
}

/** The workspace's public site key, as the API keys page shows it. */
export async function siteKeyInUi(page: Page, slug: string) {
  if (!page.url().endsWith(`/app/${slug}/settings/keys`)) await page.goto(`/app/${slug}/settings/keys`);
  const shown = page.getByTestId("site-key");
  await expect(shown).toHaveText(/^pk_/);
  return (await shown.textContent()) ?? "";
}

/** A new owner with a secret key made in the UI and the workspace's site key. */
export async function ownerWithKeys(page: Page) {
  const owner = await signUp(page);
  const key = await createKeyInUi(page, owner.slug);
  return { owner, key, siteKey: await siteKeyInUi(page, owner.slug) };
}
