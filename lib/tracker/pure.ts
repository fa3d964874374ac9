// The tracker's pure helpers (unit-tested; bundled into public/t.js, so every byte counts).
// P6 in the browser: only the path and allow-listed parameters leave the page; the server redacts again.

/** Campaign tags, ad click ids and the tracked-link click id: the only query parameters ever sent. */
const ALLOWED = /^(utm_\w+|gclid|gbraid|wbraid|fbclid|msclkid|ttclid|li_fat_id|ot_c)$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
// Starts and ends with a digit, six characters or more: the server normalises it (libphonenumber) or keeps it unmatched.
const PHONE = /^\+?\(?\d[\d\s().-]{4,}\d$/;

/** The allow-listed parameters of an absolute URL. */
export function campaignOf(href: string): Record<string, string> {
  const out: Record<string, string> = {};
  new URL(href).searchParams.forEach((v, k) => {
    if (ALLOWED.test(k)) out[k] = v;
  });
  return out;
}

/**
 * A URL as it may leave the page: origin and path, plus the allow-listed parameters when `keepParams`
 * (page URLs, link targets); no fragment. Other schemes (mailto:, tel:) keep only the scheme, so an
 * address in a link never travels. Not a URL: "".
 */
export function cleanUrl(href: string, keepParams?: boolean): string {
  try {
    const u = new URL(href);
    u.search = keepParams ? `${new URLSearchParams(campaignOf(href))}` : "";
    u.hash = "";
    return /^http/.test(u.protocol) ? u.href : u.protocol;
  } catch {
    return "";
  }
}

export interface FieldLike {
  type?: string;
  name?: string;
  autocomplete?: string;
  value?: unknown;
}

/**
 * Whether a form field holds the visitor's email or phone. Only text, email and tel inputs are ever read
 * (never passwords, hidden fields, text areas, selects): an email by type, a name/autocomplete mentioning
 * email, or a value that is exactly an email address; a phone by type tel or a name/autocomplete mentioning
 * phone/tel/mobile, and only when the value looks like a phone number.
 */
export function fieldKind(f: FieldLike): "email" | "phone" | undefined {
  // The DOM gives `type` in lower case, and a string `value` for every input.
  if (!/^(text|email|tel)$/.test(f.type as string)) return;
  const v = (f.value as string).trim();
  if (EMAIL.test(v)) return "email";
  if ((f.type === "tel" || /phone|\btel\b|mobile/i.test(`${f.name} ${f.autocomplete}`)) && PHONE.test(v))
    return "phone";
}

/** The first email and the first phone of a form's fields, trimmed; nothing else. */
export function pickIdentity(fields: Iterable<FieldLike>): { email?: string; phone?: string } {
  const out: { email?: string; phone?: string } = {};
  for (const f of fields) {
    const kind = fieldKind(f);
    if (kind && !out[kind]) out[kind] = (f.value as string).trim();
  }
  return out;
}

/** Empties a queue into requests of at most 50 events (API.md: ≤ 50 per /api/collect), oldest first. */
export function takeBatches<T>(queue: T[]): T[][] {
  const out: T[][] = [];
  while (queue.length) out.push(queue.splice(0, 50));
  return out;
}

/** Crawlers, link previews and headless browsers (HeadlessChrome included) are not visitors. */
export const isBot = (ua: string) => /bot|crawl|spider|headless|lighthouse|prerender|preview/i.test(ua);
