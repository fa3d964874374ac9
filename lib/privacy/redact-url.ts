/**
 * P6: stored URLs keep the path and allow-listed parameters only (campaign parameters, ad click ids and the
 * tracked-link click id `ot_c`), and anything shaped like an email address or a phone number is redacted.
 */
export const ALLOWED_URL_PARAMS = /^(?:utm_[a-z0-9_]{1,40}|gclid|gbraid|wbraid|fbclid|msclkid|ttclid|li_fat_id|ot_c)$/;

const EMAIL_IN_TEXT = /[^\s@/?#&=:;,<>()[\]"']+@[^\s@/?#&=:;,<>()[\]"']+\.[a-z]{2,}/gi;
// Nine or more digits, optionally with one separator between them: long enough to spare dates and ids.
const PHONE_IN_TEXT = /\+?\d(?:[\s().-]{0,2}\d){8,}/g;

export function redactContact(text: string): string {
  return text.replace(EMAIL_IN_TEXT, "[email]").replace(PHONE_IN_TEXT, "[phone]");
}

/**
 * Whether a text could hold an email address (an `@`) or a phone number (nine digits, as PHONE_IN_TEXT needs):
 * one pass over the characters, stopping early, so the ingest path runs no regex on ordinary values.
 */
export function mayHoldContact(text: string): boolean {
  if (text.length < 9) return text.includes("@");
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) return true; // @
    if (c >= 48 && c <= 57 && ++digits >= 9) return true;
  }
  return false;
}

/**
 * Free text as it may be stored (P6, P13): a page title, a form's "message" field, a button's label — with
 * anything shaped like an email address or phone number replaced, by the patterns URLs are redacted with.
 * The same string comes back untouched when it cannot hold one, or is a UUID (`4-5211-4741` inside
 * `bd0307e4-5211-4741-…` is no phone number).
 */
export const redactText = (text: string): string =>
  mayHoldContact(text) && !UUID.test(text) ? redactContact(text) : text;

/** A whole value that is a UUID (a provider's message id, a row id) is an id, never a phone number. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function redactPath(pathname: string) {
  try {
    return encodeURI(redactContact(decodeURIComponent(pathname)));
  } catch {
    return redactContact(pathname);
  }
}

export interface SanitizeOptions {
  /** Keep scheme and host (referrers, links to elsewhere); a page of the business's own site keeps its path only. */
  keepOrigin: boolean;
  /** Keep the allow-listed query parameters (not for referrers). */
  keepParams?: boolean;
}

/** A URL as it may be stored, or null when the text is not a URL. */
export function sanitizeUrl(raw: string, options: SanitizeOptions): string | null {
  let url: URL;
  try {
    url = new URL(raw, "http://relative.invalid");
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const relative = url.host === "relative.invalid";
  const path = redactPath(url.pathname);
  let out = options.keepOrigin && !relative ? `${url.protocol}//${url.host}${path}` : path;
  if (options.keepParams !== false) {
    const kept = new URLSearchParams();
    for (const [k, v] of url.searchParams) {
      if (ALLOWED_URL_PARAMS.test(k.toLowerCase())) kept.append(k.toLowerCase(), redactContact(v));
    }
    const query = kept.toString();
    if (query) out += `?${query}`;
  }
  return out;
}

/** Host without `www.`, or null. */
export function hostOf(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return url.hostname.replace(/^www\./, "").toLowerCase();
  } catch {
    return null;
  }
}

const ABSOLUTE = /^https?:\/\//i;

/**
 * Applies P6 to every URL inside an event's properties (nested too): `url` is a page of the business's own
 * site (path and allowed parameters), `referrer` keeps its origin and path, any other absolute URL keeps its
 * origin, path and allowed parameters. With `freeText`, every other string is free text written by the
 * person (a web event's title, a form's fields) and goes through `redactText` as well.
 */
export function sanitizeProperties(value: unknown, key?: string, freeText = false): unknown {
  if (typeof value === "string") {
    if (key === "url" || key === "page") return sanitizeUrl(value, { keepOrigin: false }) ?? redactContact(value);
    if (key === "referrer") return sanitizeUrl(value, { keepOrigin: true, keepParams: false }) ?? redactContact(value);
    if (ABSOLUTE.test(value)) return sanitizeUrl(value, { keepOrigin: true }) ?? (freeText ? redactText(value) : value);
    return freeText ? redactText(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => sanitizeProperties(v, undefined, freeText));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = sanitizeProperties(v, k, freeText);
    return out;
  }
  return value;
}
