import { createHash } from "node:crypto";
import { type Campaign, extractCampaign } from "../identity/attribution.ts";
import { hostOf, sanitizeUrl } from "../privacy/redact-url.ts";
import type { ApiEvent, CollectBody, IngestEventInput } from "./schemas.ts";

type CollectEvent = CollectBody["events"][number];

const IDENTITY_PROPS = [
  ["email", "email"],
  ["phone", "phone"],
  ["accountId", "accountId"],
] as const;

/** Ad click ids of a landing URL, in the order one is picked, with the network each belongs to. */
const CLICK_IDS = [
  ["gclid", "google"],
  ["gbraid", "google"],
  ["wbraid", "google"],
  ["fbclid", "meta"],
  ["msclkid", "microsoft"],
  ["ttclid", "tiktok"],
  ["li_fat_id", "linkedin"],
] as const;

/** The ad click's id, derived from its page view's: a retried batch makes it a duplicate too. */
function adClickId(pageViewId: string) {
  const id = `${pageViewId}:ad_click`;
  return id.length <= 128 ? id : `h_${createHash("sha256").update(pageViewId).digest("hex")}:ad_click`;
}

/**
 * `ads/ad_click` for a web page view that landed with an ad click id (issue item 5): same device, same time,
 * the campaign (utm_*, the click id, an external referrer) on it; properties name the network, the click id,
 * the creative (`utm_content`) and the referrer's host. Null for any other event.
 */
export function adClickOf(e: CollectEvent, identity: IngestEventInput["identity"], at: Date): IngestEventInput | null {
  if (e.type !== "page_view" || !e.url) return null;
  const campaign: Campaign | null = extractCampaign(null, e.url, e.referrer ?? undefined);
  const click = CLICK_IDS.find(([key]) => campaign?.[key]);
  if (!campaign || !click) return null;
  const [key, network] = click;
  const properties: Record<string, unknown> = { network, clickIdType: key, clickId: campaign[key], url: e.url };
  if (campaign.utm_content) properties.creative = campaign.utm_content;
  const from = campaign.referrer ? hostOf(campaign.referrer) : null;
  if (from) properties.referrerHost = from;
  return {
    id: adClickId(e.id),
    source: "ads",
    type: "ad_click",
    occurredAt: at,
    identity,
    properties,
    campaign,
    trusted: false,
  };
}

/**
 * Tracker events (/api/collect) as server-API events: source web, the device as identity, and an email,
 * phone or account id of a form or identify() as identity too — taken out of the stored properties (they
 * are kept hashed and encrypted on the identifier instead, P13). The tracker's events come first, in order;
 * after them, one `ads/ad_click` per landing with an ad click id (`adClickOf`). Every one is marked
 * `trusted: false`: the site key is public, so nothing it says may merge two known people.
 */
export function fromCollect(body: CollectBody & { deviceId: string }, receivedAt = new Date()): IngestEventInput[] {
  const adClicks: IngestEventInput[] = [];
  const events = body.events.map((e): IngestEventInput => {
    const properties: Record<string, unknown> = { ...(e.props ?? {}) };
    const identity: IngestEventInput["identity"] = { deviceId: body.deviceId };
    if (e.type === "form_submit" || e.type === "identify") {
      for (const [prop, field] of IDENTITY_PROPS) {
        const v = properties[prop];
        if (typeof v === "string" && v.trim()) identity[field] = v.slice(0, 320);
        delete properties[prop];
      }
    }
    if (e.url) properties.url = e.url;
    if (e.referrer) properties.referrer = e.referrer;
    if (e.title) properties.title = e.title;
    const occurredAt = e.ts ?? receivedAt;
    const adClick = adClickOf(e, { deviceId: body.deviceId }, occurredAt);
    if (adClick) adClicks.push(adClick);
    // What a browser says with the public site key is untrusted (docs/decisions/004-site-key-trust.md).
    return { id: e.id, source: "web", type: e.type, occurredAt, identity, properties, trusted: false };
  });
  return [...events, ...adClicks];
}

export interface PageCountKey {
  day: string;
  path: string;
  referrerHost: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
}

/** The local calendar day of a time in a time zone, as YYYY-MM-DD. */
function dayIn(at: Date, timezone: string) {
  try {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/** A cookieless page view as an anonymous count (API.md: path, referrer, campaign, day); no identifier, no IP. */
export function pageCountKey(e: CollectEvent, timezone = "UTC"): PageCountKey | null {
  if (e.type !== "page_view" || !e.url) return null;
  const stored = sanitizeUrl(e.url, { keepOrigin: false, keepParams: false });
  if (!stored) return null;
  const campaign = extractCampaign(null, e.url, e.referrer ?? undefined);
  const page = hostOf(e.url);
  const from = hostOf(e.referrer);
  return {
    day: dayIn(e.ts ?? new Date(), timezone),
    path: stored.slice(0, 500),
    referrerHost: from && from !== page ? from.slice(0, 200) : "",
    utmSource: (campaign?.utm_source ?? "").slice(0, 200),
    utmMedium: (campaign?.utm_medium ?? "").slice(0, 200),
    utmCampaign: (campaign?.utm_campaign ?? "").slice(0, 200),
  };
}

/** A parsed server-API event is already what ingestion takes; kept for callers that map explicitly (lib/demo). */
export const fromApiEvent = (e: ApiEvent): IngestEventInput => e;
