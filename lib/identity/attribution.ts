import { hostOf, redactContact, sanitizeUrl } from "../privacy/redact-url.ts";

/** The fields a touch may carry besides its time and source (R15). */
export const CAMPAIGN_KEYS = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "gclid",
  "gbraid",
  "wbraid",
  "fbclid",
  "msclkid",
  "ttclid",
  "li_fat_id",
  "referrer",
] as const;
export type CampaignKey = (typeof CAMPAIGN_KEYS)[number];
export type Campaign = Partial<Record<CampaignKey, string>>;

/** `{occurredAt, source, utm_source, …, gclid…, referrer}` with absent fields left out. */
export type Touch = { occurredAt: string; source: string } & Campaign;

/**
 * The campaign data of one event, or null when it is not a touch: the event's own `campaign`, filled in from
 * the landing URL's parameters (UTM, click ids) and an external referrer (another site than the page's).
 */
export function extractCampaign(
  explicit: Campaign | null | undefined,
  pageUrl: string | undefined,
  referrer: string | undefined,
): Campaign | null {
  const out: Campaign = {};
  for (const key of CAMPAIGN_KEYS) {
    const v = explicit?.[key]?.trim();
    if (v)
      out[key] =
        key === "referrer"
          ? (sanitizeUrl(v, { keepOrigin: true, keepParams: false }) ?? redactContact(v))
          : redactContact(v);
  }
  if (pageUrl) {
    let params: URLSearchParams | null = null;
    try {
      params = new URL(pageUrl, "http://relative.invalid").searchParams;
    } catch {}
    for (const key of CAMPAIGN_KEYS) {
      if (key === "referrer" || out[key]) continue;
      const v = params?.get(key)?.trim();
      if (v) out[key] = redactContact(v.slice(0, 2000));
    }
  }
  if (!out.referrer && referrer) {
    const from = hostOf(referrer);
    const page = hostOf(pageUrl);
    if (from && from !== page) {
      const clean = sanitizeUrl(referrer, { keepOrigin: true, keepParams: false });
      if (clean) out.referrer = clean;
    }
  }
  return Object.keys(out).length ? out : null;
}

export function touchOf(occurredAt: Date, source: string, campaign: Campaign | null): Touch | null {
  return campaign ? { occurredAt: occurredAt.toISOString(), source, ...campaign } : null;
}

const at = (t: Touch) => Date.parse(t.occurredAt);

/** R15: the first touch is the earliest by event time, whatever order things arrived or merged in. */
export function earlierTouch(a: Touch | null, b: Touch | null): Touch | null {
  if (!a) return b;
  if (!b) return a;
  return at(b) < at(a) ? b : a;
}

export function laterTouch(a: Touch | null, b: Touch | null): Touch | null {
  if (!a) return b;
  if (!b) return a;
  return at(b) >= at(a) ? b : a;
}
