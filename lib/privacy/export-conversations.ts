import { type ThreadRow, toItem } from "../conversations/get-thread.ts";
import { turnSql } from "../conversations/turns.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { personLabels } from "../reports/person-labels.ts";
import { type ExportSource, inPage, type SourceInput, timeConditions } from "./export-source.ts";

/** One turn of a conversation (docs/decisions/012) as the conversation page shows it, with whose it is. */
export interface ExportedTurn {
  /** The client's id of the event the turn is (the events export's `id`). */
  eventId: string;
  profileId: string;
  person: string | null;
  channel: string | null;
  via: string | null;
  kind: string;
  type: string;
  direction: "in" | "out" | null;
  occurredAt: string;
  text: string | null;
  title: string | null;
  status: string | null;
  agent: string | null;
  durationSeconds: number | null;
  recordingUrl: string | null;
  media: string[];
}

type MessagePart = Pick<
  ThreadRow,
  "bodyEnc" | "messageDirection" | "messageStatus" | "externalId" | "agent" | "messageChannel"
>;
type Row = Omit<ThreadRow, keyof MessagePart> & { clientId: string; profileId: string };

/**
 * Every conversation turn of the workspace — what people said or were told on a channel, either way — by
 * (occurredAt, id), along the partial index of turns (its predicate written as the index has it), then the
 * page's messages (full text, status, thread channel) and people's names (as the reports name them) by key.
 */
export function conversationsSource({ db, workspaceId, range }: SourceInput): ExportSource<ExportedTurn> {
  const where = (after: Parameters<ExportSource<ExportedTurn>["page"]>[0], params: unknown[]) =>
    [
      `e."workspaceId" = $1::uuid`,
      turnSql("e"),
      ...timeConditions(`e."occurredAt"`, "e.id", range, after, params),
    ].join(" AND ");
  return {
    async count() {
      const params: unknown[] = [workspaceId];
      const [row] = await sqlOf(db).$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "Event" e WHERE ${where(null, params)}`,
        ...params,
      );
      return row?.n ?? 0;
    },
    page: (after, limit) =>
      inPage(db, async (sql) => {
        const params: unknown[] = [workspaceId];
        const rows = await sql.$queryRawUnsafe<Row[]>(
          `SELECT e.id::text, e."clientId", e."profileId"::text AS "profileId", e.source::text AS source, e.type,
           e."occurredAt", e.channel, e.direction, e.properties, true AS turn
         FROM "Event" e WHERE ${where(after, params)}
         ORDER BY e."occurredAt", e.id LIMIT ${Number(limit)}`,
          ...params,
        );
        if (!rows.length) return { rows: [], next: null };
        const [messages, people] = await Promise.all([
          sql.$queryRawUnsafe<(MessagePart & { eventId: string })[]>(
            `SELECT m."eventId"::text AS "eventId", m."bodyEnc", m.direction AS "messageDirection", m.status AS "messageStatus",
                 m."externalId", m.agent, c.channel AS "messageChannel"
               FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) AS k(profile, at, event)
               JOIN "Message" m ON m."profileId" = k.profile AND m."occurredAt" = k.at AND m."eventId" = k.event
               LEFT JOIN "Conversation" c ON c.id = m."conversationId"`,
            rows.map((r) => r.profileId),
            rows.map((r) => r.occurredAt),
            rows.map((r) => r.id),
          ),
          personLabels(
            sql,
            workspaceId,
            rows.map((r) => r.profileId),
          ),
        ]);
        const byEvent = new Map(messages.map((m) => [m.eventId, m]));
        const last = rows.at(-1);
        return {
          rows: rows.map((r) => {
            const m = byEvent.get(r.id);
            const item = toItem({
              ...r,
              bodyEnc: m?.bodyEnc ?? null,
              messageDirection: m?.messageDirection ?? null,
              messageStatus: m?.messageStatus ?? null,
              externalId: m?.externalId ?? null,
              agent: m?.agent ?? null,
              messageChannel: m?.messageChannel ?? null,
            });
            return {
              eventId: r.clientId,
              profileId: r.profileId,
              person: people.get(r.profileId)?.name ?? null,
              channel: item.channel,
              via: item.via,
              kind: item.kind,
              type: item.type,
              direction: item.direction,
              occurredAt: item.occurredAt.toISOString(),
              text: item.text,
              title: item.title,
              status: item.status,
              agent: item.agent,
              durationSeconds: item.durationSeconds,
              recordingUrl: item.recordingUrl,
              media: item.media,
            };
          }),
          next: last && rows.length === limit ? { at: last.occurredAt, id: last.id } : null,
        };
      }),
    csvHeader: [
      "event_id",
      "profile_id",
      "person",
      "channel",
      "kind",
      "type",
      "direction",
      "occurred_at",
      "text",
      "title",
      "status",
      "agent",
      "duration_seconds",
      "recording_url",
      "media",
    ],
    csvRow: (t) => [
      t.eventId,
      t.profileId,
      t.person,
      t.channel,
      t.kind,
      t.type,
      t.direction,
      t.occurredAt,
      t.text,
      t.title,
      t.status,
      t.agent,
      t.durationSeconds,
      t.recordingUrl,
      t.media.length ? t.media.join(" ") : null,
    ],
  };
}
