import type { UnsubscribePageState } from "./unsubscribe.ts";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

const PROBLEMS = {
  400: ["This is not an unsubscribe request", "Open the unsubscribe link from the email and press the button."],
  404: [
    "This unsubscribe link is not valid",
    "The link is garbled or no longer exists. Use the link in a more recent email from the sender, or reply to them.",
  ],
  413: ["This is not an unsubscribe request", "Open the unsubscribe link from the email and press the button."],
  429: ["Too many requests at once", "Please wait a minute and try again."],
  503: ["We could not do that just now", "Nothing was changed. Please try again in a minute."],
} as const;
export type UnsubscribeProblem = keyof typeof PROBLEMS;

const what = (s: UnsubscribePageState) =>
  `${s.purpose === "marketing" ? "marketing emails" : "these emails"} from ${escapeHtml(s.business)}`;

/**
 * The public unsubscribe page (`GET /u/{token}`): one "Unsubscribe" button that posts to the same URL, no
 * script, no cookie, no tracking; after the button (or when already done) it says so. In the business's name
 * when the link is known (the person knows the sender, not us). Plain HTML like the tracked-link pages,
 * readable at 390 px.
 */
export function unsubscribePage(
  state: { kind: "confirm" | "done"; target: UnsubscribePageState } | { kind: "problem"; status: UnsubscribeProblem },
  retryAfter?: number,
): Response {
  let title: string;
  let body: string;
  let status = 200;
  if (state.kind === "problem") {
    status = state.status;
    const [t, text] = PROBLEMS[state.status];
    title = t;
    body = `<p>${text}</p>`;
  } else if (state.kind === "done") {
    title = "You're unsubscribed";
    // A customer's opt-out covers every address the business holds for them; a member's summary is one mail.
    const reach = state.target.purpose === "weekly-summary" ? "" : ", at this address or any other they have for you";
    body = `<p>You will no longer get ${what(state.target)}${reach}. It took effect at once.</p>`;
  } else {
    title = "Unsubscribe?";
    body = `<p>Stop getting ${what(state.target)}. It takes effect at once; no login needed.</p>
<form method="post"><input type="hidden" name="via" value="page"><button type="submit">Unsubscribe</button></form>`;
  }
  const sender = state.kind === "problem" ? "OneThread" : escapeHtml(state.target.business);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · ${sender}</title>
<style>
  :root { color-scheme: light; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; padding: 16px;
    box-sizing: border-box; background: #f8fafc; color: #0f172a;
    font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  main { width: 100%; max-width: 420px; background: #fff; border: 1px solid #e2e8f0; border-radius: 16px;
    padding: 28px; box-shadow: 0 1px 2px rgba(15, 23, 42, .06); box-sizing: border-box; }
  .brand { display: flex; align-items: center; gap: 8px; font-weight: 600; color: #1f57c9; font-size: 14px; }
  .dot { width: 10px; height: 10px; border-radius: 999px; background: #2f6fed; }
  h1 { font-size: 20px; margin: 18px 0 8px; }
  p { margin: 0; font-size: 14px; line-height: 1.5; color: #475569; }
  form { margin-top: 20px; }
  button { font: inherit; font-size: 14px; font-weight: 600; color: #fff; background: #2f6fed; border: 0;
    border-radius: 8px; padding: 10px 18px; cursor: pointer; }
  button:hover { background: #1f57c9; }
  button:focus-visible { outline: 2px solid #1f57c9; outline-offset: 2px; }
</style></head>
<body><main><div class="brand"><span class="dot" aria-hidden="true"></span>${sender}</div>
<h1>${title}</h1>${body}</main></body></html>`;
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
      "Referrer-Policy": "no-referrer",
      ...(retryAfter ? { "Retry-After": String(retryAfter) } : {}),
    },
  });
}
