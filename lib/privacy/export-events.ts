import { decryptOrNull } from "../crypto/keys.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { HAS_MESSAGE, readableProperties } from "../timeline/event-content.ts";
import { summarizeEvent } from "../timeline/summarize-event.ts";
import { type ExportSource, inPage, type SourceInput, timeConditions } from "./export-source.ts";

/** An event as the owner's export shows it: as the person's own export and timeline do, readable. */
export interface ExportedEvent {
  /** The client's event id, as the API gives it. */
  id: string;
  profileId: string | null;
  source: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  rung: number;
  channel: string | null;
  direction: string | null;
  summary: string | null;
  properties: Record<string, unknown>;
  campaign: Record<string, unknown> | null;
}

interface Row {
  id: string;
  clientId: string;
  profileId: string | null;
  source: string;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
  rung: number;
  channel: string | null;
  direction: string | null;
  summary: string | null;
  properties: Record<string, unknown> | null;
  campaign: Record<string, unknown> | null;
}

/**
 * Every event of the workspace by (occurredAt, id), each page a range of the (workspaceId, occurredAt) index,
 * then the page's message bodies by the Message index (profileId, occurredAt). Message text and sealed content
 * come back readable and the summary is written again with them, exactly as lib/privacy/export-person.ts does.
 */
export function eventsSource({ db, workspaceId, range }: SourceInput): ExportSource<ExportedEvent> {
  return {
    async count() {
      const params: unknown[] = [workspaceId];
      const where = [`"workspaceId" = $1::uuid`, ...timeConditions(`"occurredAt"`, "id", range, null, params)];
      const [row] = await sqlOf(db).$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "Event" WHERE ${where.join(" AND ")}`,
        ...params,
      );
      return row?.n ?? 0;
    },
    page: (after, limit) =>
      inPage(db, async (sql) => {
        const params: unknown[] = [workspaceId];
        const where = [`e."workspaceId" = $1::uuid`, ...timeConditions(`e."occurredAt"`, "e.id", range, after, params)];
        const rows = await sql.$queryRawUnsafe<Row[]>(
          `SELECT e.id::text AS id, e."clientId", e."profileId"::text AS "profileId", e.source::text AS source, e.type,
             e."occurredAt", e."receivedAt", e.rung, e.channel, e.direction, e.summary, e.properties, e.campaign
           FROM "Event" e WHERE ${where.join(" AND ")}
           ORDER BY e."occurredAt", e.id LIMIT ${Number(limit)}`,
          ...params,
        );
        const withText = rows.filter((r) => r.profileId && HAS_MESSAGE.has(r.source));
        const bodies = new Map<string, string | null>();
        if (withText.length) {
          const messages = await sql.$queryRawUnsafe<{ eventId: string; bodyEnc: string | null }[]>(
            `SELECT m."eventId"::text AS "eventId", m."bodyEnc"
             FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) AS k(profile, at, event)
             JOIN "Message" m ON m."profileId" = k.profile AND m."occurredAt" = k.at AND m."eventId" = k.event`,
            withText.map((r) => r.profileId),
            withText.map((r) => r.occurredAt),
            withText.map((r) => r.id),
          );
          for (const m of messages) bodies.set(m.eventId, decryptOrNull(m.bodyEnc));
        }
        const last = rows.at(-1);
        return {
          rows: rows.map((r) => toExported(r, bodies.get(r.id))),
          next: last && rows.length === limit ? { at: last.occurredAt, id: last.id } : null,
        };
      }),
    csvHeader: [
      "id",
      "profile_id",
      "occurred_at",
      "received_at",
      "source",
      "type",
      "rung",
      "channel",
      "direction",
      "summary",
      "properties",
      "campaign",
    ],
    csvRow: (e) => [
      e.id,
      e.profileId,
      e.occurredAt,
      e.receivedAt,
      e.source,
      e.type,
      e.rung,
      e.channel,
      e.direction,
      e.summary,
      e.properties,
      e.campaign,
    ],
  };
}

function toExported(r: Row, body: string | null | undefined): ExportedEvent {
  const { properties, opened } = readableProperties(r.source, r.properties ?? {}, body);
  return {
    id: r.clientId,
    profileId: r.profileId,
    source: r.source,
    type: r.type,
    occurredAt: r.occurredAt.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    rung: r.rung,
    channel: r.channel,
    direction: r.direction,
    // As the timeline shows it: written again once the message text or sealed content is back.
    summary: opened ? summarizeEvent({ ...r, properties }) : (r.summary ?? summarizeEvent({ ...r, properties })),
    properties,
    campaign: r.campaign,
  };
}
