import { encrypt } from "../crypto/keys.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { type Campaign, extractCampaign, type Touch, touchOf } from "../identity/attribution.ts";
import { type IdentityContext, type PreparedIdentifier, prepareIdentity } from "../identity/prepare-identity.ts";
import { nameInProperties, nameTokens } from "../people/person-name.ts";
import { sanitizeProperties } from "../privacy/redact-url.ts";
import { CONTENT_KEY } from "../timeline/event-content.ts";
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
  /** A name the event gave the person (properties `name`, `firstName`…), and its blind index (person-name.ts). */
  name: { value: string; tokens: string[] } | null;
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

/** What an email event carries that its sender or recipient wrote (P13): sealed, never stored readable. */
const EMAIL_CONTENT = ["text", "body", "html", "subject", "snippet", "preview"] as const;
const INBOUND_EMAIL = new Set(["email_replied", "email_received"]);

/**
 * An email event's content taken out of its properties: the text (`text`, else `body`) becomes the Message of
 * the person's email thread, as a channel message's body does; the rest (subject, html…) is sealed together as
 * one value under `contentEnc`. Timelines and the export open both again (lib/timeline/event-content.ts).
 */
function takeEmailContent(raw: Record<string, unknown>, extra: Record<string, unknown>) {
  const content: Record<string, unknown> = { ...extra };
  const rest = { ...raw };
  for (const key of EMAIL_CONTENT) {
    if (raw[key] === undefined || raw[key] === null) continue;
    content[key] = raw[key];
    delete rest[key];
  }
  delete rest[CONTENT_KEY]; // only ever the value sealed here
  const key = str(content.text) ? "text" : str(content.body) ? "body" : null;
  const body = key ? (content[key] as string) : null;
  if (key) delete content[key];
  return { rest, body, sealed: Object.keys(content).length ? encrypt(JSON.stringify(content)) : null };
}

export function prepareEvent(e: IngestEvent, index: number, ctx: IdentityContext): PreparedEvent {
  const given = (e.properties ?? {}) as Record<string, unknown>;
  // P13: a name is personal data like an email: it leaves the properties, sealed with the event's other
  // content (the timeline and the export open it again), and becomes the person's name if they have none.
  const named = nameInProperties(given);
  const nameFields: Record<string, unknown> = {};
  let raw = given;
  if (named) {
    raw = { ...given };
    for (const k of named.keys) {
      nameFields[k] = given[k];
      delete raw[k];
    }
  }
  const identity = prepareIdentity(e.identity, ctx);
  const campaign = extractCampaign(
    e.campaign as Campaign | null | undefined,
    str(raw.url) ?? undefined,
    str(raw.referrer) ?? undefined,
  );
  const email = e.source === "email" ? takeEmailContent(raw, nameFields) : null;
  // Web and email events: any other text may hold what the person typed (a title, a form's "message"), so
  // emails and phone numbers are redacted from it too (P13), as from URLs (P6).
  const freeText = e.source === "web" || e.source === "email";
  const properties = sanitizeProperties(email?.rest ?? raw, undefined, freeText) as Record<string, unknown>;
  if (email?.sealed) properties[CONTENT_KEY] = email.sealed;
  else if (named) properties[CONTENT_KEY] = encrypt(JSON.stringify(nameFields));
  if (Object.keys(identity.unmatched).length) properties.unmatched_identity = identity.unmatched;
  const channel = e.channel ?? null;
  const direction = e.direction ?? (e.type === "message_in" ? "in" : e.type === "message_out" ? "out" : null);
  let message: PreparedMessage | null = null;
  const body = str(properties.body) ?? str(properties.text);
  if (email?.body) {
    // P13: an email's text is a message of the person's email thread, encrypted like any other.
    message = {
      body: email.body,
      channel: "email",
      direction: e.direction ?? (INBOUND_EMAIL.has(e.type) ? "in" : "out"),
      agent: str(properties.agent),
      status: str(properties.status),
      externalId: str(properties.messageId) ?? str(properties.externalId),
    };
  } else if ((e.type === "message_in" || e.type === "message_out") && body) {
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
    name: named ? { value: named.name, tokens: nameTokens(ctx.hashSalt, named.name) } : null,
    linkClickId: linkClickOf(raw),
    trusted: e.trusted !== false,
  };
}
