import { expect, test } from "@playwright/test";
import { latestLoginLink, latestMailLink, logIn, logOut, screenshot, signUp, unique } from "./fixtures.ts";

test("a stranger asking for an owner page is sent to the login page, and comes back after logging in", async ({
  page,
}) => {
  const owner = await signUp(page);
  await logOut(page);
  await page.goto(`/app/${owner.slug}/settings`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fapp%2F/);
  await screenshot(page, "login");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/app/${owner.slug}/settings$`));
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("sign up creates a workspace; log out; log in again with the password", async ({ page }) => {
  await page.goto("/signup");
  await screenshot(page, "signup");
  const owner = await signUp(page);
  await expect(page.getByText("Getting started")).toBeVisible();
  await screenshot(page, "overview");
  await logOut(page);
  await logIn(page, owner.email, owner.password);
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  const owner = await signUp(page);
  await logOut(page);
  await logIn(page, owner.email, "not the password");
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("sign-up errors are shown next to the field", async ({ page }) => {
  const owner = await signUp(page);
  await logOut(page);
  await page.goto("/signup");
  await page.getByLabel("Business name").fill("Second");
  await page.getByLabel("Work email").fill(owner.email);
  await page.getByLabel("Password").fill("another password");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByText("An account with that email already exists")).toBeVisible();
});

test("log in with a magic link from the outbox; the link works once", async ({ page }) => {
  const owner = await signUp(page);
  await logOut(page);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByRole("button", { name: "Email me a login link" }).click();
  await expect(page.getByText("Check your inbox")).toBeVisible();
  const link = await latestLoginLink(owner.email);
  expect(link).toContain("/api/auth/callback/email");
  // The dev outbox (on here through DEV_OUTBOX=1) never shows a login link outside `npm run dev`.
  await page.goto("/dev/outbox");
  await expect(page.getByRole("heading", { name: "Dev outbox" })).toBeVisible();
  await expect(page.getByTestId("outbox-mail").filter({ hasText: `To ${owner.email}` })).toHaveCount(0);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
  await logOut(page);
  await page.goto(link);
  await expect(page.getByText("That login link was already used or has expired.")).toBeVisible();
});

test("on a slow phone, what was typed before the page's script ran logs in, and asks for a link", async ({ page }) => {
  const owner = await signUp(page);
  await logOut(page);
  // The page's scripts are held back: the person types into the server's HTML, then the scripts arrive.
  let release: () => void = () => {};
  const scripts = new Promise<void>((r) => {
    release = r;
  });
  await page.route("**/_next/static/**/*.js", async (route) => {
    await scripts;
    await route.continue();
  });
  await page.goto("/login", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  release();
  // Once the script has taken over, the password typed before it enables the button, and the fields kept both.
  const logInButton = page.getByRole("button", { name: "Log in", exact: true });
  await expect(logInButton).toBeEnabled();
  await expect(page.getByLabel("Email")).toHaveValue(owner.email);
  await page.getByRole("button", { name: "Email me a login link" }).click();
  await expect(page.getByText("Check your inbox")).toBeVisible();
  await logInButton.click();
  await expect(page.getByRole("heading", { level: 1, name: owner.business })).toBeVisible();
});

test("an unknown address sees the same answer as a known one, and no link is sent to it", async ({ page }) => {
  const nobody = `${unique("nobody")}@e2e.test`;
  await page.goto("/login");
  await page.getByLabel("Email").fill(nobody);
  await page.getByRole("button", { name: "Email me a login link" }).click();
  await expect(page.getByText("Check your inbox: if an account exists for that email")).toBeVisible();
  await page.goto("/dev/outbox");
  await expect(page.getByTestId("outbox-mail").filter({ hasText: `To ${nobody}` })).toHaveCount(0);
});

test("create an API key: shown once, listed by prefix, revoked after confirmation", async ({ page, request }) => {
  const owner = await signUp(page);
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByTestId("site-key")).toHaveText(/^pk_/);
  await page.getByLabel("New key name").fill("Chatbot production");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("New API key");
  await expect(shown).toHaveText(/^sk_/);
  const key = (await shown.textContent()) ?? "";
  await screenshot(page, "keys");
  const row = page.getByRole("row", { name: /Chatbot production/ });
  await expect(row).toContainText(`${key.slice(0, 10)}…`);
  // The key is real: the API accepts it (a bad payload proves authentication passed: 400, not 401).
  const authed = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events: [] },
  });
  expect(authed.status()).toBe(400);
  await page.reload();
  await expect(page.getByTestId("New API key")).toHaveCount(0); // shown once only
  await row.getByRole("button", { name: "Revoke…" }).click();
  await row.getByRole("button", { name: "Revoke Chatbot production" }).click();
  await expect(row).toContainText("Revoked");
  const revoked = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${key}` },
    data: { events: [] },
  });
  expect(revoked.status()).toBe(401);
  expect(owner.slug).not.toBe("");
});

test("settings: change the time zone; an invalid one is refused next to the field", async ({ page }) => {
  const owner = await signUp(page);
  await page.goto(`/app/${owner.slug}/settings`);
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("must be an IANA time zone")).toBeVisible();
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByLabel("Keep data for (months)").fill("12");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await screenshot(page, "settings");
  await page.reload();
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
  await expect(page.getByLabel("Keep data for (months)")).toHaveValue("12");
  await page.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByText("Times shown in Europe/Berlin")).toBeVisible();
});

test("invite a member: they accept through the emailed link as a new user and see the workspace", async ({
  page,
  browser,
}) => {
  const owner = await signUp(page);
  await page.getByRole("link", { name: "Members" }).click();
  const invitee = `${unique("member")}@e2e.test`;
  await page.getByLabel("Invite by email").fill(invitee);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("Invitation sent.")).toBeVisible();
  await expect(page.getByText(invitee)).toBeVisible();
  await screenshot(page, "members");
  const link = await latestMailLink(page, invitee);

  const context = await browser.newContext();
  const guest = await context.newPage();
  // Nobody else reads it there: not a visitor without a session, nor the owner of another workspace.
  await guest.goto("/dev/outbox");
  await expect(guest.getByRole("heading", { name: "Dev outbox" })).toBeVisible();
  await expect(guest.getByTestId("outbox-mail").filter({ hasText: `To ${invitee}` })).toHaveCount(0);
  await expect(guest.getByText("Log in to see the mail of your workspaces.")).toBeVisible();
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await signUp(stranger);
  await stranger.goto("/dev/outbox");
  await expect(stranger.getByRole("heading", { name: "Dev outbox" })).toBeVisible();
  await expect(stranger.getByTestId("outbox-mail").filter({ hasText: `To ${invitee}` })).toHaveCount(0);
  await strangerContext.close();
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: `Join ${owner.business}` })).toBeVisible();
  await guest.getByRole("link", { name: "Create an account" }).click();
  await expect(guest.getByLabel("Work email")).toHaveValue(invitee);
  await guest.getByLabel("Business name").fill("Member's own shop");
  await guest.getByLabel("Password").fill("member password 1");
  await guest.getByRole("button", { name: "Create workspace" }).click();
  await guest.getByRole("button", { name: "Accept the invitation" }).click();
  // (Not just the heading: the invitation page's own "Join <business>" would match it too.)
  await expect(guest).toHaveURL(new RegExp(`/app/${owner.slug}$`));
  await expect(guest.getByRole("heading", { level: 1, name: owner.business, exact: true })).toBeVisible();
  // A member sees settings but cannot change them.
  await guest.goto(`/app/${owner.slug}/settings`);
  await expect(guest.getByText("Only an owner can change these settings.")).toBeVisible();
  await context.close();

  await page.goto(`/app/${owner.slug}/settings/members`);
  await expect(page.getByRole("listitem").filter({ hasText: invitee })).toContainText("member");
});

test("an owner of one workspace gets a 404 for another workspace's pages and API", async ({ page, browser }) => {
  const a = await signUp(page);
  const context = await browser.newContext();
  const other = await context.newPage();
  const b = await signUp(other);
  await context.close();
  const res = await page.goto(`/app/${b.slug}/settings/keys`);
  expect(res?.status()).toBe(404);
  const api = await page.request.get(`/api/app/${b.slug}/keys`);
  expect(api.status()).toBe(404);
  expect((await api.json()).error.code).toBe("not_found");
  expect(a.slug).not.toBe(b.slug);
});

test("health answers ok; the public API without a key answers 401 with the error envelope", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
  const res = await request.post("/api/v1/events", { data: { events: [] } });
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
});
