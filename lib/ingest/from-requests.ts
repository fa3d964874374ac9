import { randomUUID } from "node:crypto";
import { redactReferrer, redactUrl } from "../privacy/redact-url.ts";
import type { ApiEvent, CollectBatch, IncomingEvent } from "./schemas.ts";

/** A /api/v1/events event as the one internal shape. A missing id gets a generated one (no idempotency). */
export function fromApiEvent(e: ApiEvent): IncomingEvent {
  return {
    clientId: e.id ?? `gen_${randomUUID()}`,
    source: e.source,
    type: e.type,
    occurredAt: e.occurredAt,
    identity: e.identity,
    channel: e.channel,
    direction: e.direction,
    properties: e.properties ?? {},
    campaign: e.campaign as Record<string, string> | undefined,
  };
}

const IDENTITY_PROPS = { email: "email", phone: "phone", accountId: "accountId" } as const;

/**
 * Tracker events (/api/collect) as the internal shape: source web, the device as identity, and an email or
 * phone from a form or identify() as identity too — taken out of the stored properties (they are kept
 * encrypted on the identifier instead).
 */
export function fromCollect(batch: CollectBatch & { deviceId: string }): IncomingEvent[] {
  return batch.events.map((e) => {
    const properties: Record<string, unknown> = { ...(e.props ?? {}) };
    const identity: IncomingEvent["identity"] = { deviceId: batch.deviceId };
    if (e.type === "form_submit" || e.type === "identify") {
      for (const [prop, field] of Object.entries(IDENTITY_PROPS)) {
        const v = properties[prop];
        if (typeof v === "string" && v.trim()) identity[field] = v;
        delete properties[prop];
      }
    }
    if (e.url !== undefined) properties.url = e.url;
    if (e.referrer) properties.referrer = e.referrer;
    if (e.title) properties.title = e.title;
    return { clientId: e.id, source: "web", type: e.type, occurredAt: e.ts, identity, properties };
  });
}

/** A cookieless page view as an anonymous count key (API.md: path, referrer, campaign, day). */
export function pageCountKey(e: CollectBatch["events"][number]) {
  const url = redactUrl(e.url);
  if (!url) return null;
  const u = new URL(url);
  const ref = redactReferrer(e.referrer);
  return {
    day: e.ts.toISOString().slice(0, 10),
    path: u.pathname.slice(0, 500),
    referrerHost: ref ? new URL(ref).host : "",
    utmSource: u.searchParams.get("utm_source") ?? "",
    utmMedium: u.searchParams.get("utm_medium") ?? "",
    utmCampaign: u.searchParams.get("utm_campaign") ?? "",
  };
}
