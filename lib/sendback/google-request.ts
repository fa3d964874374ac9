import { env } from "../config/env.ts";
import { postJson } from "./call-provider.ts";
import { googleEmail, googlePhone } from "./hash-identifiers.ts";
import type { ProviderAnswer, SendBackItem } from "./types.ts";

/** Data Manager API allows 2,000 events a request; we keep to Meta's 1,000 for both. */
export const GOOGLE_BATCH = 1000;
/** At most 10 user identifiers per event (Data Manager API). */
const MAX_IDENTIFIERS = 10;

export interface GoogleConnection {
  customerId: string;
  conversionAction: string;
  accessToken: string;
}

function eventSource(source: string, channel: string | undefined) {
  if (channel === "voice") return "PHONE";
  if (source === "web") return "WEB";
  return "OTHER";
}

/**
 * One Data Manager `Event` (decision 021): the click id under `adIdentifiers`, hashed email and phone (hex,
 * SHA-256, INTEGRATIONS.md 5.2) under `userData` for enhanced conversions, the value, and `adUserData`
 * consent granted (only people who may be sent back get here).
 */
export function googleEvent(item: SendBackItem) {
  const p = item.payload;
  const ids = [
    ...[...new Set(item.emails.map(googleEmail))].map((h) => ({ emailAddress: h })),
    ...[...new Set(item.phones.map(googlePhone).filter((h): h is string => !!h))].map((h) => ({ phoneNumber: h })),
  ].slice(0, MAX_IDENTIFIERS);
  return {
    transactionId: p.eventId,
    eventTimestamp: item.occurredAt.toISOString(),
    eventSource: eventSource(p.source, p.channel),
    adIdentifiers: { [p.clickType]: p.click },
    ...(ids.length ? { userData: { userIdentifiers: ids } } : {}),
    ...(p.value !== undefined && p.currency ? { conversionValue: p.value, currency: p.currency } : {}),
    consent: { adUserData: "CONSENT_GRANTED" },
  };
}

/** `POST {base}/v1/events:ingest` (Data Manager API, IngestEventsRequest) with a Bearer token. */
export function sendToGoogle(connection: GoogleConnection, items: readonly SendBackItem[]): Promise<ProviderAnswer> {
  const base = (env().GOOGLE_ADS_API_BASE ?? "https://datamanager.googleapis.com").replace(/\/$/, "");
  const body = {
    destinations: [
      {
        operatingAccount: { accountType: "GOOGLE_ADS", accountId: connection.customerId },
        productDestinationId: connection.conversionAction,
      },
    ],
    encoding: "HEX",
    events: items.map(googleEvent),
  };
  return postJson(`${base}/v1/events:ingest`, { authorization: `Bearer ${connection.accessToken}` }, body, [
    connection.accessToken,
  ]);
}
