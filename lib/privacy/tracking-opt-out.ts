import type { PreparedEvent } from "../ingest/prepare-events.ts";
import type { Source } from "../ingest/schemas.ts";
import { CONTENT_KEY } from "../timeline/event-content.ts";

/** Sources that only observe the person (the site's tracker, pixels and link redirects, ad platforms). */
const TRACKING_SOURCES: ReadonlySet<Source> = new Set(["web", "pixel", "ads"]);
/** Email events that observe rather than carry a message: opens and clicks. */
const TRACKING_EMAIL_TYPES: ReadonlySet<string> = new Set(["email_opened", "email_clicked", "link_clicked"]);

/**
 * Whether an event is tracking (what an opt-out of `tracking` stops, decision 014): anything the tracker,
 * a pixel, a tracked link or an ad platform observed, and email opens and clicks. Messages, calls, payments,
 * bookings and sends are the person's dealings with the business and still join their thread.
 */
export const isTrackingEvent = (source: Source, type: string) =>
  TRACKING_SOURCES.has(source) || (source === "email" && TRACKING_EMAIL_TYPES.has(type));

/**
 * A tracking event of someone opted out of tracking, as it may still be stored (decision 014): counted in the
 * business's totals (a page view of /pricing) but tied to nobody — no identifier, no hash, no profile, no
 * name, no click id, no message, and no sealed content or unmatched identity values in its properties.
 */
export function strippedOfIdentity(e: PreparedEvent): PreparedEvent {
  const { [CONTENT_KEY]: _sealed, unmatched_identity: _unmatched, ...properties } = e.properties;
  return {
    ...e,
    identifiers: [],
    identityHashes: [],
    properties,
    touch: null,
    message: null,
    name: null,
    linkClickId: null,
  };
}
