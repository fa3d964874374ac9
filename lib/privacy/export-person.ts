import { decryptOrNull } from "../crypto/keys.ts";
import type { Tx } from "../db/client.ts";
import { readableProperties } from "../timeline/event-content.ts";
import { getProfileView, type ProfileView } from "../timeline/profile-view.ts";
import { summarizeEvent } from "../timeline/summarize-event.ts";
import { optOutState } from "./opt-out.ts";
import { type PersonConsentRecord, personConsentRecords } from "./person-consent-records.ts";

export interface PersonExport {
  exportedAt: string;
  /** The person's name as the business knows it (readable: it is theirs), or null. */
  name: string | null;
  profile: ProfileView;
  identifiers: { type: string; value: string; shared: boolean; firstSeenAt: string }[];
  events: {
    id: string;
    source: string;
    type: string;
    occurredAt: string;
    rung: number;
    channel: string | null;
    direction: string | null;
    summary: string | null;
    properties: unknown;
    campaign: unknown;
  }[];
  messages: {
    id: string;
    channel: string;
    direction: string;
    body: string | null;
    agent: string | null;
    status: string | null;
    occurredAt: string;
  }[];
  merges: {
    kind: string;
    reason: string | null;
    fromProfileId: string;
    intoProfileId: string;
    at: string;
    undoneAt: string | null;
  }[];
  /** Every cookie-banner choice recorded for them or their devices (P3). */
  consentRecords: PersonConsentRecord[];
  /** Where they first and last came from (R15), as the profile holds it. */
  attribution: ProfileView["attribution"];
  /** What they opted out of (a channel, everything, or one purpose of email), since when and how (P7). */
  optOuts: { scope: string; since: string; reason: string }[];
}

/**
 * Everything held about a person (P10, data subject access): readable identifiers, every event, every message
 * body, merges and splits, consent records, attribution and opt-outs. The id must be a live profile of the
 * workspace. The owner's export and the person's own (/privacy/preferences) are this same function.
 */
export async function exportPerson(db: Tx, workspaceId: string, profileId: string): Promise<PersonExport | null> {
  const profile = await getProfileView(db, workspaceId, profileId);
  if (!profile) return null;
  const [named, identifiers, events, messages, merges, consentRecords, optOuts] = await Promise.all([
    db.profile.findUnique({ where: { id: profileId }, select: { nameEnc: true } }),
    db.identifier.findMany({
      where: { workspaceId, profileId },
      orderBy: { createdAt: "asc" },
      select: { type: true, valueEnc: true, masked: true, shared: true, createdAt: true },
    }),
    db.event.findMany({
      where: { workspaceId, profileId },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        clientId: true,
        source: true,
        type: true,
        occurredAt: true,
        rung: true,
        channel: true,
        direction: true,
        summary: true,
        properties: true,
        campaign: true,
      },
    }),
    db.message.findMany({
      where: { workspaceId, profileId },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        eventId: true,
        direction: true,
        bodyEnc: true,
        agent: true,
        status: true,
        occurredAt: true,
        conversation: { select: { channel: true } },
      },
    }),
    db.profileMerge.findMany({
      where: { workspaceId, OR: [{ fromProfileId: profileId }, { intoProfileId: profileId }] },
      orderBy: { createdAt: "asc" },
      select: { kind: true, reason: true, fromProfileId: true, intoProfileId: true, createdAt: true, undoneAt: true },
    }),
    personConsentRecords(db, workspaceId, profileId),
    optOutState(db, workspaceId, profileId),
  ]);
  const bodies = new Map(messages.map((m) => [m.eventId, decryptOrNull(m.bodyEnc)]));
  return {
    exportedAt: new Date().toISOString(),
    name: decryptOrNull(named?.nameEnc ?? null),
    profile,
    identifiers: identifiers.map((i) => ({
      type: i.type,
      value: decryptOrNull(i.valueEnc) ?? i.masked ?? "",
      shared: i.shared,
      firstSeenAt: i.createdAt.toISOString(),
    })),
    events: events.map((e) => {
      const { properties, opened } = readableProperties(
        e.source,
        (e.properties ?? {}) as Record<string, unknown>,
        bodies.get(e.id),
      );
      return {
        id: e.clientId,
        source: e.source,
        type: e.type,
        occurredAt: e.occurredAt.toISOString(),
        rung: e.rung,
        channel: e.channel,
        direction: e.direction,
        // As the timeline shows it: written again once the message text or sealed content is back.
        summary: opened
          ? summarizeEvent({ ...e, properties, campaign: e.campaign as Record<string, unknown> | null })
          : e.summary,
        properties,
        campaign: e.campaign,
      };
    }),
    messages: messages.map((m) => ({
      id: m.id,
      channel: m.conversation.channel,
      direction: m.direction,
      body: decryptOrNull(m.bodyEnc),
      agent: m.agent,
      status: m.status,
      occurredAt: m.occurredAt.toISOString(),
    })),
    merges: merges.map((m) => ({
      kind: m.kind,
      reason: m.reason,
      fromProfileId: m.fromProfileId,
      intoProfileId: m.intoProfileId,
      at: m.createdAt.toISOString(),
      undoneAt: m.undoneAt?.toISOString() ?? null,
    })),
    consentRecords,
    attribution: profile.attribution,
    optOuts: [
      ...Object.entries(optOuts.channels),
      ...Object.entries(optOuts.emailPurposes).map(([purpose, d]) => [`email:${purpose}`, d] as const),
    ].flatMap(([scope, d]) => (d ? [{ scope, since: d.since.toISOString(), reason: d.reason }] : [])),
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The export as one CSV: a `record` column says what each row is (profile, identifier, event, message, merge,
 * consent, attribution, opt_out).
 */
export function personExportCsv(x: PersonExport): string {
  const header = ["record", "id", "occurred_at", "type", "source", "channel", "direction", "value", "summary", "data"];
  const rows: unknown[][] = [
    [
      "profile",
      x.profile.id,
      x.profile.firstSeenAt,
      `rung ${x.profile.rung}`,
      "",
      "",
      "",
      x.name ?? x.profile.displayName,
      x.profile.customerNumber,
      x.profile,
    ],
    ...x.identifiers.map((i) => [
      "identifier",
      "",
      i.firstSeenAt,
      i.type,
      "",
      "",
      "",
      i.value,
      i.shared ? "shared" : "",
      null,
    ]),
    ...x.events.map((e) => [
      "event",
      e.id,
      e.occurredAt,
      e.type,
      e.source,
      e.channel,
      e.direction,
      e.rung,
      e.summary,
      { properties: e.properties, campaign: e.campaign },
    ]),
    ...x.messages.map((m) => [
      "message",
      m.id,
      m.occurredAt,
      "",
      "",
      m.channel,
      m.direction,
      m.body,
      m.agent,
      m.status,
    ]),
    ...x.merges.map((m) => [
      "merge",
      "",
      m.at,
      m.kind,
      "",
      "",
      "",
      `${m.fromProfileId} -> ${m.intoProfileId}`,
      m.reason,
      m.undoneAt,
    ]),
    ...x.consentRecords.map((c) => [
      "consent",
      c.id,
      c.at,
      c.choice,
      c.recordedFor,
      "",
      "",
      c.bannerVersion,
      c.gpc ? "Global Privacy Control" : "",
      { country: c.country, gpc: c.gpc },
    ]),
    ...(["first", "last"] as const).flatMap((which) => {
      const touch = x.attribution[which];
      return touch
        ? [["attribution", "", touch.occurredAt, `${which} touch`, touch.source, "", "", "", "", touch]]
        : [];
    }),
    ...x.optOuts.map((o) => ["opt_out", "", o.since, o.scope, "", "", "", o.reason, "", null]),
  ];
  return `${[header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
