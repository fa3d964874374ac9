import type { z } from "zod";
import type { IngestEventInput } from "../ingest/schemas.ts";

/** What a provider keeps of a connect request: sealed secrets, plain config, and what is answered once. */
export interface Connection {
  /** The signing secret of its webhooks. */
  secret: string;
  /** Other secrets (API keys, tokens), sealed together; never returned. */
  credentials?: Record<string, string>;
  /** Settings that are not secret. */
  config?: Record<string, unknown>;
  /** Shown in the answer to this one request only (a secret the server generated). */
  reveal?: { secret?: string };
}

/** A delivery whose signature checked out, and how. */
export interface Verified {
  scheme: string;
  /** The delivery id the signature scheme carries (Standard Webhooks' `webhook-id`), if any. */
  deliveryId?: string;
}

/** What a delivery's body means: the events it brings, or why it brings none. */
export interface MappedDelivery {
  /** "Cal.com BOOKING_CREATED", "OneThread events", … for the delivery log. */
  summary: string;
  events: IngestEventInput[];
  /** Verified and kept, but nothing to store (an event type we do not map, a test delivery). */
  ignored?: boolean;
  /** The settings page's signed test delivery. */
  test?: boolean;
  /**
   * A OneThread profile id the delivery names as its person (Stripe's `client_reference_id` of a checkout this
   * app created): the pipeline adds that profile's own identifiers to the events (anchor-profile.ts).
   */
  profileRef?: string;
}

/**
 * One provider: its connect body, how its webhooks are verified and what their bodies mean. Each lives in
 * lib/integrations/<provider>/ and is listed in providers.ts; the pipeline (receive-delivery.ts) is shared.
 */
export interface ProviderModule<C = unknown> {
  id: string;
  label: string;
  connectSchema: z.ZodType<C>;
  connect(input: C): Connection;
  verify(secret: string, headers: Headers, raw: string, nowMs: number): Verified | null;
  /** An id of the delivery found in its body (Cal.com's booking uid and trigger), if the shape has one. */
  bodyDeliveryId(body: unknown): string | null;
  /** Throws AppError or ZodError (400) for a body it cannot use. `eventIdPrefix` is unique to the delivery. */
  map(body: unknown, eventIdPrefix: string): MappedDelivery;
}
