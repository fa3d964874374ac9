import { uuidv7 } from "../db/uuidv7.ts";
import { type Campaign, extractCampaign, type Touch, touchOf } from "../identity/attribution.ts";
import { type IdentityContext, type PreparedIdentifier, prepareIdentity } from "../identity/prepare-identity.ts";
import { sanitizeProperties } from "../privacy/redact-url.ts";
import { summarizeEvent } from "../timeline/summarize-event.ts";
import type { IngestEvent, Source } from "./schemas.ts";

export interface PreparedMessage {
  body: string;
  channel: string;
  direction: string;
  agent: string | null;
  status: string | null;
  externalId: string | null;
}

/** A validated event made ready to store: identity normalised and hashed, URLs cleaned, summary written. */
export interface PreparedEvent {
  index: number;
  clientId: string;
  eventId: string;
  source: Source;
  type: string;
  occurredAt: Date;
  channel: string | null;
  direction: string | null;
  identifiers: PreparedIdentifier[];
  identityHashes: string[];
  properties: Record<string, unknown>;
  campaign: Campaign | null;
  touch: Touch | null;
  summary: string;
  message: PreparedMessage | null;
  /** R14: the tracked-link click id (`ot_c`) this visit landed with. */
  linkClickId: string | null;
  /** False for a public site-key event: it may not merge two identified people (schemas.ts `EventTrust`). */
  trusted: boolean;
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v : null);

function linkClickOf(props: Record<string, unknown>): string | null {
  const direct = str(props.ot_c);
  if (direct) return direct.slice(0, 128);
  const url = str(props.url);
  if (!url) return null;
  try {
    return new URL(url, "http://relative.invalid").searchParams.get("ot_c")?.slice(0, 128) || null;
  } catch {
    return null;
  }
}

export function prepareEvent(e: IngestEvent, index: number, ctx: IdentityContext): PreparedEvent {
  const raw = (e.properties ?? {}) as Record<string, unknown>;
  const identity = prepareIdentity(e.identity, ctx);
  const campaign = extractCampaign(
    e.campaign as Campaign | null | undefined,
    str(raw.url) ?? undefined,
    str(raw.referrer) ?? undefined,
  );
  const properties = sanitizeProperties(raw) as Record<string, unknown>;
  if (Object.keys(identity.unmatched).length) properties.unmatched_identity = identity.unmatched;
  const channel = e.channel ?? null;
  const direction = e.direction ?? (e.type === "message_in" ? "in" : e.type === "message_out" ? "out" : null);
  let message: PreparedMessage | null = null;
  const body = str(properties.body) ?? str(properties.text);
  if ((e.type === "message_in" || e.type === "message_out") && body) {
    // P13: the body lives encrypted on the Message; the event keeps the rest of its properties.
    delete properties[str(properties.body) ? "body" : "text"];
    message = {
      body,
      channel: channel ?? "webchat",
      direction: direction ?? "in",
      agent: str(properties.agent),
      status: str(properties.status),
      externalId: str(properties.messageId) ?? str(properties.externalId),
    };
  }
  // After the body has left the properties: the stored summary never holds a message's text (P13); timelines
  // write it again from the decrypted Message when they show the event.
  const summary = summarizeEvent({ source: e.source, type: e.type, channel, direction, properties, campaign });
  return {
    index,
    clientId: e.id ?? uuidv7(),
    eventId: uuidv7(),
    source: e.source,
    type: e.type,
    occurredAt: e.occurredAt,
    channel,
    direction,
    identifiers: identity.identifiers,
    identityHashes: identity.identifiers.map((i) => i.key),
    properties,
    campaign,
    touch: touchOf(e.occurredAt, e.source, campaign),
    summary,
    message,
    linkClickId: linkClickOf(raw),
    trusted: e.trusted !== false,
  };
}
