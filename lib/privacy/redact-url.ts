/** Query parameters kept on stored URLs (P6): campaign tags, ad click ids and our own tracked-link id. */
export const CLICK_IDS = ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid", "li_fat_id"] as const;
const UTM = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
const KEEP = new Set<string>([...UTM, ...CLICK_IDS, "ot_c"]);

const EMAIL_LIKE = /[^\s/?#&=@]+@[^\s/?#&=@]+\.[a-z]{2,}/gi;
const PHONE_LIKE = /\+?\d[\d ().-]{7,}\d/g;

const scrub = (s: string) => s.replace(EMAIL_LIKE, "[redacted]").replace(PHONE_LIKE, "[redacted]");

/**
 * P6: a URL as stored — origin and path plus allow-listed parameters; anything shaped like an email or a
 * phone number redacted; no fragment, no credentials. Not a URL: null.
 */
export function redactUrl(raw: unknown): string | null {
  if (typeof raw !== "string" || !raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const kept = new URLSearchParams();
  for (const [k, v] of url.searchParams) if (KEEP.has(k.toLowerCase())) kept.append(k.toLowerCase(), scrub(v));
  const query = kept.toString();
  const path = scrub(decodeURIComponentSafe(url.pathname));
  return `${url.origin}${encodeURI(path)}${query ? `?${query}` : ""}`;
}

function decodeURIComponentSafe(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A referrer as stored: origin + path only. */
export function redactReferrer(raw: unknown): string | null {
  const url = redactUrl(raw);
  if (!url) return null;
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

export type CampaignFields = Partial<Record<(typeof UTM)[number] | (typeof CLICK_IDS)[number] | "referrer", string>>;
export const CAMPAIGN_KEYS = [...UTM, ...CLICK_IDS] as const;

/** Campaign tags and click ids carried by a landing URL. */
export function campaignFromUrl(raw: unknown): CampaignFields {
  if (typeof raw !== "string") return {};
  try {
    const url = new URL(raw);
    const out: CampaignFields = {};
    for (const key of CAMPAIGN_KEYS) {
      const v = url.searchParams.get(key);
      if (v) out[key] = v.slice(0, 2000);
    }
    return out;
  } catch {
    return {};
  }
}
