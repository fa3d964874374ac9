import { CAMPAIGN_KEYS, campaignFromUrl, redactReferrer } from "../privacy/redact-url.ts";

/** R15: a touch — an event carrying campaign data, click ids or an external referrer. */
export interface Touch {
  occurredAt: string;
  source: string;
  [field: string]: string;
}

/**
 * The campaign data an event carries (its `campaign`, else tags on its URL) plus an external referrer,
 * or null when it is not a touch. `ownHost` is the page's own host: a referrer from it is internal.
 */
export function campaignOf(event: {
  campaign?: Record<string, string>;
  properties: Record<string, unknown>;
}): Record<string, string> | null {
  const out: Record<string, string> = {};
  const fromUrl = campaignFromUrl(event.properties.url);
  for (const key of CAMPAIGN_KEYS) {
    const v = event.campaign?.[key] ?? fromUrl[key];
    if (v) out[key] = v;
  }
  const referrer = redactReferrer(event.campaign?.referrer ?? event.properties.referrer);
  if (referrer && isExternal(referrer, event.properties.url)) out.referrer = referrer;
  return Object.keys(out).length ? out : null;
}

function isExternal(referrer: string, pageUrl: unknown) {
  if (typeof pageUrl !== "string") return true;
  try {
    return new URL(referrer).host !== new URL(pageUrl).host;
  } catch {
    return true;
  }
}

export const touchOf = (occurredAt: Date, source: string, campaign: Record<string, string>): Touch => ({
  occurredAt: occurredAt.toISOString(),
  source,
  ...campaign,
});
