import { decryptOrNull } from "../../crypto/keys.ts";
import type { Db } from "../../db/client.ts";
import { maskIdentifier } from "../../identity/mask-identifier.ts";
import type { IdentifierType } from "../../identity/types.ts";
import { describeEvent } from "../../timeline/describe-event.ts";
import { capitalize, channelName, words } from "../../timeline/words.ts";
import { type PersonConsentRecord, personConsentRecords } from "../person-consent-records.ts";
import { type ChannelState, preferenceChannels } from "./channels.ts";
import type { PreferencesSession } from "./session.ts";

/** Messages shown on the page (every one is in the download). */
const SHOWN_MESSAGES = 50;
const SHOWN_EVENTS = 12;

export interface PreferencesView {
  business: string;
  scope: "full" | "footer";
  /** Email, phone and account identifiers: masked, except the one the visitor typed. */
  identifiers: { id: string; type: IdentifierType; value: string; typed: boolean }[];
  /** Browsers or devices recognised by the business's cookie (never shown: they are random ids). */
  devices: number;
  knownSince: string;
  lastSeen: string;
  /** The timeline in a few lines: how many of each kind of thing, most first. */
  activity: { label: string; count: number }[];
  eventCount: number;
  /** The latest few events in plain words, newest first (full scope only). */
  recent: { at: string; title: string }[];
  /** Their messages and emails with the business, newest first (full scope only). */
  messages: { id: string; channel: string; direction: string; at: string; body: string }[];
  messageCount: number;
  consent: PersonConsentRecord[];
  gpc: boolean;
  channels: ChannelState[];
}

const LABELS: Record<string, string> = {
  "web/page_view": "Pages viewed on the website",
  "web/click": "Clicks on the website",
  "web/scroll": "Scroll depths on the website",
  "web/engagement": "Time-on-page measurements",
  "web/form_submit": "Forms sent on the website",
  "web/identify": "Times you signed in or left your details",
  "web/consent": "Cookie choices",
  "email/email_sent": "Emails sent to you",
  "email/email_opened": "Emails opened",
  "email/email_clicked": "Links clicked in emails",
  "email/email_replied": "Emails you sent",
  "email/unsubscribed": "Unsubscribes",
  "channel/message_in": "Messages you sent",
  "channel/message_out": "Messages sent to you",
  "channel/call_in": "Calls from you",
  "channel/call_out": "Calls to you",
  "channel/call_missed": "Missed calls",
  "webhook/payment_succeeded": "Payments",
  "webhook/checkout_completed": "Checkouts",
  "webhook/booking_created": "Bookings",
  "pixel/link_clicked": "Links clicked",
};

/** The journey's words are the owner's ("Messaged you"); the person reads them the other way round. */
export function forThePerson(title: string, business: string) {
  return title
    .replace(/^Messaged you\b/, `You messaged ${business}`)
    .replace(/^You messaged them\b/, `${business} messaged you`)
    .replace(/^Called you\b/, `You called ${business}`)
    .replace(/^You called them\b/, `${business} called you`)
    .replace(/ called them$/, " called you");
}

const labelOf = (source: string, type: string) => LABELS[`${source}/${type}`] ?? capitalize(words(type));

/**
 * What the person's page shows (P9), in the business's name: what is held (identifiers masked except the one
 * the visitor typed, a readable summary of the timeline, their messages), the consent state and the
 * per-channel choices. A footer link's page (scope `footer`) shows the identifiers masked, consent and
 * choices, and only counts of the rest.
 */
export async function preferencesView(db: Db, session: PreferencesSession): Promise<PreferencesView | null> {
  const workspaceId = session.workspace.id;
  const profileId = session.profileId;
  const full = session.scope === "full";
  const [profile, identifiers, counts, recent, messages, messageCount, consent, channels] = await Promise.all([
    db.profile.findFirst({
      where: { id: profileId, workspaceId },
      select: { firstSeenAt: true, lastSeenAt: true, gpcAt: true, eventCount: true },
    }),
    db.identifier.findMany({
      where: { workspaceId, profileId },
      orderBy: { createdAt: "asc" },
      select: { id: true, type: true, valueEnc: true, masked: true },
    }),
    db.event.groupBy({
      by: ["source", "type"],
      where: { workspaceId, profileId },
      _count: { _all: true },
    }),
    full
      ? db.event.findMany({
          where: { workspaceId, profileId },
          orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
          take: SHOWN_EVENTS,
          select: {
            source: true,
            type: true,
            channel: true,
            direction: true,
            occurredAt: true,
            properties: true,
            campaign: true,
          },
        })
      : Promise.resolve([]),
    full
      ? db.message.findMany({
          where: { workspaceId, profileId },
          orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
          take: SHOWN_MESSAGES,
          select: {
            id: true,
            direction: true,
            bodyEnc: true,
            occurredAt: true,
            conversation: { select: { channel: true } },
          },
        })
      : Promise.resolve([]),
    db.message.count({ where: { workspaceId, profileId } }),
    personConsentRecords(db, workspaceId, profileId),
    preferenceChannels(db, workspaceId, profileId),
  ]);
  if (!profile) return null;
  const activity = counts
    .map((c) => ({ label: labelOf(c.source, c.type), count: c._count._all }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return {
    business: session.workspace.name,
    scope: session.scope,
    identifiers: identifiers
      .filter((i) => i.type !== "device")
      .map((i) => {
        const typed = full && i.id === session.identifierId;
        const value = decryptOrNull(i.valueEnc);
        return {
          id: i.id,
          type: i.type,
          value: typed && value ? value : (i.masked ?? (value ? maskIdentifier(i.type, value) : "•••")),
          typed,
        };
      }),
    devices: identifiers.filter((i) => i.type === "device").length,
    knownSince: profile.firstSeenAt.toISOString(),
    lastSeen: profile.lastSeenAt.toISOString(),
    activity,
    eventCount: counts.reduce((n, c) => n + c._count._all, 0),
    recent: recent.map((e) => ({
      at: e.occurredAt.toISOString(),
      title: forThePerson(
        describeEvent({
          ...e,
          properties: (e.properties ?? {}) as Record<string, unknown>,
          campaign: e.campaign as Record<string, unknown> | null,
        }).title,
        session.workspace.name,
      ),
    })),
    messages: messages.map((m) => ({
      id: m.id,
      channel: channelName(m.conversation.channel) ?? m.conversation.channel,
      direction: m.direction,
      at: m.occurredAt.toISOString(),
      body: decryptOrNull(m.bodyEnc) ?? "",
    })),
    messageCount,
    consent: [...consent].reverse(),
    gpc: profile.gpcAt !== null || consent.some((c) => c.gpc),
    channels,
  };
}
