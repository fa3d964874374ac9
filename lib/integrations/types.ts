import type { z } from "zod";
import type { Db } from "../db/client.ts";
import type { PreparedIdentifier } from "../identity/prepare-identity.ts";
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
  /**
   * A change the delivery makes besides its events (Twilio: a message's delivery status, a phone's opt-out of a
   * channel), run after they are stored, with the identifiers they carry. It must be idempotent: a retry of a
   * failed delivery runs it again. What it answers replaces the outcome and summary in the delivery log.
   */
  apply?: (db: Db, ctx: { workspaceId: string; identifiers: PreparedIdentifier[] }) => Promise<AppliedEffect>;
  /**
   * What a person wrote, by event id, beyond the public API's 2,000 characters a property (an inbound email's
   * full text and html): added to those events' properties after validation, then sealed by ingest (P13).
   */
  content?: Record<string, Record<string, string>>;
}

/** What a mapping may read besides the body (Resend: the email a delivery names, the workspace's API key). */
export interface MapContext {
  db: Db;
  workspaceId: string;
}

/** What an `apply` did: nothing to do is `ignored` (a status for a message this app does not know yet). */
export interface AppliedEffect {
  summary?: string;
  ignored?: boolean;
}

/**
 * One provider: its connect body, how its webhooks are verified and what their bodies mean. Each lives in
 * lib/integrations/<provider>/ and is listed in providers.ts; the pipeline (receive-delivery.ts) is shared.
 */
export interface ProviderModule<C = unknown> {
  id: string;
  label: string;
  /** Only sent to, never posts to us (Meta, Google): no webhook URL. */
  outbound?: boolean;
  connectSchema: z.ZodType<C>;
  connect(input: C): Connection;
  /**
   * `publicUrl` is the URL the provider posted to as configured in its dashboard (APP_URL + path + query,
   * public-url.ts), for schemes that sign it (Twilio).
   */
  verify(secret: string, headers: Headers, raw: string, nowMs: number, publicUrl: string): Verified | null;
  /** Reads a raw body that is not JSON (Twilio's form bodies); throws AppError 400 for one it cannot read. */
  parseBody?(raw: string): unknown;
  /** An id of the delivery found in its body (Cal.com's booking uid and trigger), if the shape has one. */
  bodyDeliveryId(body: unknown): string | null;
  /**
   * Throws AppError or ZodError (400) for a body it cannot use, an AppError 5xx when the provider should retry
   * (a fetch from its API failed). `eventIdPrefix` is unique to the delivery.
   */
  map(body: unknown, eventIdPrefix: string, ctx: MapContext): MappedDelivery | Promise<MappedDelivery>;
}
