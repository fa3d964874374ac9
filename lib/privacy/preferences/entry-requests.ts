import { ZodError } from "zod";
import { appUrl, env } from "../../config/env.ts";
import type { Db } from "../../db/client.ts";
import { AppError } from "../../errors.ts";
import { entryPage } from "./entry-page.ts";
import { checkPreferencesLink, type LinkProblem, openPreferences } from "./open-preferences.ts";
import { emailLinkForSession, requestLinkForm, requestPreferencesLink, workspaceBySlug } from "./request-link.ts";
import { readSession, SESSION_PATH, sessionCookieHeader, sessionCookieOf } from "./session.ts";

/**
 * Reached through a business's first-party proxy (`https://shop.example/ot/privacy/preferences?w=…`, see
 * README): the page answers from the app's own address instead, where its forms, cookie and scripts live.
 */
export function canonicalRedirect(url: URL, headers: Headers): Response | null {
  const configured = env().APP_URL;
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0]?.trim().toLowerCase();
  if (!configured || !forwarded || forwarded === new URL(configured).host.toLowerCase()) return null;
  return new Response(null, {
    status: 307,
    headers: { Location: `${appUrl()}${SESSION_PATH}${url.search}`, "Cache-Control": "no-store" },
  });
}

const problemPage = (p: LinkProblem) => {
  switch (p.problem) {
    case "forged":
      return entryPage({ kind: "forged" });
    case "expired":
      return entryPage({
        kind: "expired",
        business: p.workspace.name,
        slug: p.workspace.slug,
        footer: p.purpose === "footer",
      });
    case "used":
      return entryPage({ kind: "used", business: p.workspace.name, slug: p.workspace.slug });
    case "erased":
      return entryPage({ kind: "erased", business: p.workspace.name, erasedAt: p.erasedAt });
  }
};

/**
 * `GET /privacy/preferences`: `?t=` shows the "Open my privacy page" step (a GET changes nothing, so a mail
 * scanner following the link cannot use it up), or why the link does not open; `?w=` the email form (and
 * `&sent=1` the neutral answer); nothing but a live session cookie → the person's page.
 */
export async function preferencesGet(db: Db, url: URL, cookieHeader: string | null): Promise<Response> {
  try {
    const token = url.searchParams.get("t");
    if (token !== null) {
      const check = await checkPreferencesLink(db, token);
      if (!check.ok) return problemPage(check);
      return entryPage({ kind: "open", business: check.workspace.name, token, footer: check.purpose === "footer" });
    }
    const slug = url.searchParams.get("w");
    if (slug !== null) {
      const workspace = await workspaceBySlug(db, slug);
      if (!workspace) return entryPage({ kind: "no-business" });
      return url.searchParams.get("sent") === "1"
        ? entryPage({ kind: "sent", business: workspace.name, slug: workspace.slug })
        : entryPage({ kind: "form", business: workspace.name, slug: workspace.slug });
    }
    if (await readSession(db, sessionCookieOf(cookieHeader)))
      return new Response(null, {
        status: 303,
        headers: { Location: `${SESSION_PATH}/me`, "Cache-Control": "no-store" },
      });
    return entryPage({ kind: "ended" });
  } catch (error) {
    console.error("The privacy page failed", error);
    return entryPage({ kind: "failed" });
  }
}

/** `POST /privacy/preferences` (the "Open" button, `t=…`): consumes the link, sets the page's cookie, → /me. */
export async function preferencesOpen(db: Db, token: string): Promise<Response> {
  try {
    const opened = await openPreferences(db, token);
    if (!opened.ok) return problemPage(opened);
    return new Response(null, {
      status: 303,
      headers: {
        Location: `${SESSION_PATH}/me`,
        "Set-Cookie": sessionCookieHeader(opened.sessionToken, opened.expiresAt),
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    console.error("Opening the privacy page failed", error);
    return entryPage({ kind: "failed" });
  }
}

/** An error of the email form as its page: the form again with the message (400), or the page of the status. */
export async function linkFormProblem(db: Db, error: unknown, slug: string, email: string): Promise<Response> {
  if (error instanceof AppError) {
    if (error.status === 429) return entryPage({ kind: "limited" }, Number(error.headers?.["Retry-After"] ?? 60));
    if (error.status === 404) return entryPage({ kind: "no-business" });
  }
  if (error instanceof ZodError || (error instanceof AppError && error.status === 400)) {
    const workspace = await workspaceBySlug(db, slug);
    if (!workspace) return entryPage({ kind: "no-business" });
    const page = entryPage({
      kind: "form",
      business: workspace.name,
      slug: workspace.slug,
      email,
      error: "Enter the email address you gave the business, like name@example.com.",
    });
    return new Response(page.body, { status: 400, headers: page.headers });
  }
  console.error("Asking for a privacy link failed", error);
  return entryPage({ kind: "failed" });
}

/**
 * The link form's POST (form-encoded, origin already checked): `w` and `email` from the `?w=` form → the same
 * neutral answer whether or not the address is known (303 to `?w=…&sent=1`); or, from an open page (its
 * cookie), `resend=1` → a link to the address the person's mail goes to. `later` sends the mail after the
 * response (the route's `after`), so the answer takes as long for a known address as for an unknown one.
 */
export async function preferencesLinkPost(
  db: Db,
  raw: string,
  cookieHeader: string | null,
  client: string,
  later: (work: () => Promise<unknown>) => void,
): Promise<Response> {
  const form = new URLSearchParams(raw);
  if (form.get("resend") === "1") {
    const session = await readSession(db, sessionCookieOf(cookieHeader));
    if (!session) return entryPage({ kind: "ended" });
    try {
      const { sentTo } = await emailLinkForSession(db, session, client, later);
      return entryPage({ kind: "emailed", business: session.workspace.name, sentTo });
    } catch (error) {
      return linkFormProblem(db, error, session.workspace.slug, "");
    }
  }
  const input = { w: form.get("w") ?? "", email: form.get("email") ?? "" };
  try {
    const { workspace } = await requestPreferencesLink(db, requestLinkForm.parse(input), client, later);
    return new Response(null, {
      status: 303,
      headers: {
        Location: `${SESSION_PATH}?w=${encodeURIComponent(workspace.slug)}&sent=1`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return linkFormProblem(db, error, input.w, input.email.slice(0, 320));
  }
}
