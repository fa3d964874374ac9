import { extractCampaign } from "../identity/attribution.ts";
import { hostOf, sanitizeUrl } from "../privacy/redact-url.ts";
import type { ApiEvent, CollectBody, IngestEventInput } from "./schemas.ts";

type CollectEvent = CollectBody["events"][number];

const IDENTITY_PROPS = [
  ["email", "email"],
  ["phone", "phone"],
  ["accountId", "accountId"],
] as const;

/**
 * Tracker events (/api/collect) as server-API events: source web, the device as identity, and an email,
 * phone or account id of a form or identify() as identity too — taken out of the stored properties (they
 * are kept hashed and encrypted on the identifier instead, P13).
 */
export function fromCollect(body: CollectBody & { deviceId: string }): IngestEventInput[] {
  return body.events.map((e) => {
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
    return { id: e.id, source: "web", type: e.type, occurredAt: e.ts ?? new Date(), identity, properties };
  });
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
