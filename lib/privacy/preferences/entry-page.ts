import { LINK_MINUTES } from "./tokens.ts";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

const when = (d: Date) =>
  d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export type EntryState =
  | { kind: "form"; business: string; slug: string; error?: string; email?: string }
  | { kind: "sent"; business: string; slug: string }
  | { kind: "emailed"; business: string; sentTo: string }
  | { kind: "open"; business: string; token: string; footer: boolean }
  | { kind: "forged" }
  | { kind: "expired"; business: string; slug: string; footer: boolean }
  | { kind: "used"; business: string; slug: string }
  | { kind: "erased"; business: string; erasedAt: Date }
  | { kind: "no-business" }
  | { kind: "ended" }
  | { kind: "limited" }
  | { kind: "failed" };

const STATUS: Record<EntryState["kind"], number> = {
  form: 200,
  sent: 200,
  emailed: 200,
  open: 200,
  forged: 400,
  expired: 410,
  used: 410,
  erased: 410,
  "no-business": 404,
  ended: 401,
  limited: 429,
  failed: 503,
};

const askAgain = (slug: string, business: string) =>
  `<p class="next"><a href="/privacy/preferences?w=${encodeURIComponent(slug)}">Ask ${escapeHtml(business)} for a new link</a></p>`;

function content(s: EntryState): { title: string; business?: string; body: string } {
  switch (s.kind) {
    case "form":
      return {
        title: "See and manage your data",
        business: s.business,
        body: `<p>Enter the email address you gave ${escapeHtml(s.business)}. If they know it, we email you a link to a page
showing what they hold about you, where you can download it, delete it, or choose what they may send you.</p>
<form method="post" action="/privacy/preferences/link" novalidate>
<input type="hidden" name="w" value="${escapeHtml(s.slug)}">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" inputmode="email" required
 value="${escapeHtml(s.email ?? "")}"${s.error ? ' aria-invalid="true" aria-describedby="email-error"' : ""}>
${s.error ? `<p id="email-error" class="error">${escapeHtml(s.error)}</p>` : ""}
<button type="submit">Email me a link</button>
</form>
<p class="small">The link works once, within ${LINK_MINUTES} minutes. No account or password needed.</p>`,
      };
    case "sent":
      return {
        title: "Check your email",
        business: s.business,
        body: `<p role="status">If ${escapeHtml(s.business)} holds data about that address, a link to your page is on its way to it.
It works once, within ${LINK_MINUTES} minutes. Nothing arrives? Check the spam folder, or the address you typed.</p>
<p class="next"><a href="/privacy/preferences?w=${encodeURIComponent(s.slug)}">Use another address</a></p>`,
      };
    case "emailed":
      return {
        title: "Check your email",
        business: s.business,
        body: `<p role="status">We sent a one-time link to ${escapeHtml(s.sentTo)}. Open it within ${LINK_MINUTES} minutes to see everything
${escapeHtml(s.business)} holds about you, download it or delete it.</p>`,
      };
    case "open":
      return {
        title: "Your data and choices",
        business: s.business,
        body: `<p>${
          s.footer
            ? `Open your privacy page to choose what ${escapeHtml(s.business)} may send you and whether it may track your visits.`
            : `Open your privacy page to see what ${escapeHtml(s.business)} holds about you, download it, delete it, or choose what they may send you.`
        }</p>
<form method="post" action="/privacy/preferences">
<input type="hidden" name="t" value="${escapeHtml(s.token)}">
<button type="submit">Open my privacy page</button>
</form>
<p class="small">The page stays open for 30 minutes.</p>`,
      };
    case "forged":
      return {
        title: "This link is not valid",
        body: "<p>The link is garbled or was not made by this service, so nothing was opened and nothing changed. Use the link from the email exactly as it came, or ask the business for a new one on its website.</p>",
      };
    case "expired":
      return {
        title: "This link has expired",
        business: s.business,
        body: `<p>${s.footer ? "Links in emails work for a year." : `Links work for ${LINK_MINUTES} minutes.`} Nothing was opened and nothing changed.</p>${askAgain(s.slug, s.business)}`,
      };
    case "used":
      return {
        title: "This link was already used",
        business: s.business,
        body: `<p>Each link opens your page once. Nothing was opened and nothing changed.</p>${askAgain(s.slug, s.business)}`,
      };
    case "erased":
      return {
        title: "Your data was deleted",
        business: s.business,
        body: `<p>Everything ${escapeHtml(s.business)} held about you was deleted on ${when(s.erasedAt)}, so this link no longer
opens anything. If you contact them again, they start with nothing from before.</p>`,
      };
    case "no-business":
      return {
        title: "We don't know this business",
        body: "<p>The address of this page is incomplete or the business no longer uses this service. Follow the privacy link on the business's website or in one of its emails.</p>",
      };
    case "ended":
      return {
        title: "Your privacy page has closed",
        body: "<p>The page closes 30 minutes after it was opened, or once you deleted your data. Open the privacy link in one of the business's emails, or ask for a new one on its website.</p>",
      };
    case "limited":
      return {
        title: "Too many requests",
        body: "<p>Please wait a few minutes and try again. Nothing was changed.</p>",
      };
    case "failed":
      return {
        title: "We could not do that just now",
        body: "<p>Nothing was changed. Please try again in a minute.</p>",
      };
  }
}

/**
 * The public entry pages of `/privacy/preferences` (no session, no script, no tracking): the email form of
 * `?w=`, the neutral answer, the "Open" step of a `?t=` link, and every reason a link does not open, each
 * with its own status (400 forged, 410 expired/used/erased, 401 closed, 429). Plain HTML readable at 390 px.
 */
export function entryPage(state: EntryState, retryAfter?: number): Response {
  const { title, business, body } = content(state);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(business ? `${title} · ${business}` : title)}</title>
<style>
  :root { color-scheme: light; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; padding: 16px;
    box-sizing: border-box; background: #f8fafc; color: #0f172a;
    font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  main { width: 100%; max-width: 440px; background: #fff; border: 1px solid #e2e8f0; border-radius: 16px;
    padding: 28px; box-shadow: 0 1px 2px rgba(15, 23, 42, .06); box-sizing: border-box; }
  .business { margin: 0; font-weight: 600; color: #1f57c9; font-size: 15px; overflow-wrap: anywhere; }
  h1 { font-size: 21px; margin: 10px 0 10px; }
  p { margin: 0 0 12px; font-size: 15px; line-height: 1.5; color: #334155; overflow-wrap: anywhere; }
  .small { font-size: 13px; color: #475569; margin-top: 14px; }
  .error { color: #b91c1c; font-size: 14px; margin: 6px 0 0; }
  form { margin-top: 18px; }
  label { display: block; font-size: 14px; font-weight: 600; margin-bottom: 6px; }
  input[type=email] { font: inherit; font-size: 16px; width: 100%; box-sizing: border-box; padding: 10px 12px;
    border: 1px solid #94a3b8; border-radius: 8px; }
  input[aria-invalid=true] { border-color: #b91c1c; }
  input:focus-visible { outline: 2px solid #1f57c9; outline-offset: 1px; }
  button { font: inherit; font-size: 15px; font-weight: 600; color: #fff; background: #1f57c9; border: 0;
    border-radius: 8px; padding: 11px 18px; margin-top: 14px; cursor: pointer; min-height: 44px; }
  button:hover { background: #1a46a0; }
  button:focus-visible, a:focus-visible { outline: 2px solid #1f57c9; outline-offset: 2px; }
  a { color: #1f57c9; }
  .next { margin-top: 16px; }
  footer { margin-top: 22px; font-size: 12px; color: #64748b; }
</style></head>
<body><main>
${business ? `<p class="business">${escapeHtml(business)}</p>` : ""}
<h1>${escapeHtml(title)}</h1>
${body}
<footer>Privacy page provided by OneThread for the business named above.</footer>
</main></body></html>`;
  return new Response(html, {
    status: STATUS[state.kind],
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
      "Referrer-Policy": "no-referrer",
      ...(retryAfter ? { "Retry-After": String(retryAfter) } : {}),
    },
  });
}
