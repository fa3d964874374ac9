import type { Destination } from "./conversion-kinds.ts";

/** What an Outbox row of the send-back holds besides its columns (written by enqueue-conversions.ts). */
export interface SendBackPayload {
  /** The conversion event's client id: Meta's `event_id` (shared with the pixel), Google's `transactionId`. */
  eventId: string;
  eventName: string;
  value?: number;
  currency?: string;
  source: string;
  channel?: string;
  /** The ad click the person came from: `fbclid` for Meta, `gclid`/`gbraid`/`wbraid` for Google. */
  click: string;
  clickType: "fbclid" | "gclid" | "gbraid" | "wbraid";
  /** When that click's event happened (Meta's `fbc` creation time). */
  clickAt: string;
}

/** A claimed row, with the person's readable emails and phones (decrypted for this delivery only). */
export interface SendBackItem {
  id: string;
  workspaceId: string;
  profileId: string;
  destination: Destination;
  occurredAt: Date;
  attempts: number;
  payload: SendBackPayload;
  emails: string[];
  phones: string[];
}

/** One HTTP request to a network and what it answered. */
export interface ProviderAnswer {
  /** HTTP status; 0 when no answer came (network error, timeout). */
  status: number;
  /** The provider's own message for a refusal, masked (no token, no address). */
  error: string | null;
  /** Seconds the provider asked us to wait (Retry-After), if it said. */
  retryAfter: number | null;
}
