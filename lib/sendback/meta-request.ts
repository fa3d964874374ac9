import { env } from "../config/env.ts";
import { postJson } from "./call-provider.ts";
import { metaEmail, metaPhone, sha256 } from "./hash-identifiers.ts";
import type { ProviderAnswer, SendBackItem } from "./types.ts";

/** The Graph API version the official Node SDK (24.0.1) targets (INTEGRATIONS.md 4.1). */
export const META_API_VERSION = "v24.0";
/** Up to 1,000 events in one request's `data` (INTEGRATIONS.md 4.1). */
export const META_BATCH = 1000;

export interface MetaConnection {
  pixelId: string;
  accessToken: string;
  testEventCode?: string;
}

/**
 * Meta's `action_source` for where the conversion happened (INTEGRATIONS.md 4.2). Never `website`: Meta
 * requires `client_user_agent` for it, which we do not keep, and one invalid event rejects the whole batch.
 */
function actionSource(source: string, channel: string | undefined) {
  if (channel === "voice") return "phone_call";
  if (source === "channel" || source === "agent") return "chat";
  if (source === "email") return "email";
  if (source === "webhook") return "system_generated";
  return "other";
}

/** One server event (INTEGRATIONS.md 4.2–4.4): hashed em/ph, `fbc` from the click, the pixel's event id. */
export function metaEvent(item: SendBackItem) {
  const p = item.payload;
  const em = [...new Set(item.emails.map(metaEmail))];
  const ph = [...new Set(item.phones.map(metaPhone).filter((h): h is string => !!h))];
  return {
    event_name: p.eventName,
    event_time: Math.floor(item.occurredAt.getTime() / 1000),
    action_source: actionSource(p.source, p.channel),
    event_id: p.eventId,
    user_data: {
      ...(em.length ? { em } : {}),
      ...(ph.length ? { ph } : {}),
      external_id: [sha256(item.profileId)],
      // fb.{subdomainIndex 1 server-side}.{first seen, ms}.{fbclid verbatim} (INTEGRATIONS.md 4.4, 8).
      fbc: `fb.1.${Date.parse(p.clickAt)}.${p.click}`,
    },
    ...(p.value !== undefined && p.currency ? { custom_data: { value: p.value, currency: p.currency } } : {}),
  };
}

/** `POST {graph}/v24.0/{pixel}/events?access_token=…` with up to 1,000 events. */
export function sendToMeta(connection: MetaConnection, items: readonly SendBackItem[]): Promise<ProviderAnswer> {
  const base = (env().META_GRAPH_BASE ?? "https://graph.facebook.com").replace(/\/$/, "");
  const url = `${base}/${META_API_VERSION}/${encodeURIComponent(connection.pixelId)}/events?access_token=${encodeURIComponent(connection.accessToken)}`;
  const body = {
    data: items.map(metaEvent),
    ...(connection.testEventCode ? { test_event_code: connection.testEventCode } : {}),
  };
  return postJson(url, {}, body, [connection.accessToken, encodeURIComponent(connection.accessToken)]);
}
