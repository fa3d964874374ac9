const PAGES = {
  400: [
    "This address is not valid",
    "The address you opened is garbled. Check the link, or ask the sender for a new one.",
  ],
  404: [
    "This link is not valid",
    "The link you followed is not valid or has expired. If someone sent it to you, ask them for a new one.",
  ],
  429: [
    "Too many links at once",
    "This device opened a lot of links in a short time. Please wait a minute and try again.",
  ],
  503: ["This link is taking a break", "We could not open this link just now. Please try again in a minute."],
} as const;

/**
 * The page a person sees for an unknown or removed tracked link (or a garbled address, or too many opens): a
 * plain, branded HTML page (no script, no tracking), the same for every unknown code so it tells nothing
 * about which codes exist.
 */
export function linkNotFoundPage(status: keyof typeof PAGES = 404, retryAfter?: number): Response {
  const [title, text] = PAGES[status];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${title} · OneThread</title>
<style>
  :root { color-scheme: light; }
  body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; padding: 16px;
    box-sizing: border-box; background: #f8fafc; color: #0f172a;
    font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
  main { width: 100%; max-width: 420px; background: #fff; border: 1px solid #e2e8f0; border-radius: 16px;
    padding: 28px; box-shadow: 0 1px 2px rgba(15, 23, 42, .06); }
  .brand { display: flex; align-items: center; gap: 8px; font-weight: 600; color: #1f57c9; font-size: 14px; }
  .dot { width: 10px; height: 10px; border-radius: 999px; background: #2f6fed; }
  h1 { font-size: 20px; margin: 18px 0 8px; }
  p { margin: 0; font-size: 14px; line-height: 1.5; color: #475569; }
</style></head>
<body><main><div class="brand"><span class="dot"></span>OneThread</div>
<h1>${title}</h1><p>${text}</p></main></body></html>`;
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
      ...(retryAfter ? { "Retry-After": String(retryAfter) } : {}),
    },
  });
}
