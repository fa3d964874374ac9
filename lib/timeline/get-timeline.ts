import { z } from "zod";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import { badRequest } from "../errors.ts";
import { SOURCES } from "../ingest/schemas.ts";
import { HAS_MESSAGE, readableProperties } from "./event-content.ts";
import { summarizeEvent } from "./summarize-event.ts";

/** `?limit=&cursor=&source=` of both timeline routes (the owner's and the API's). */
export const timelineQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
  source: z.enum(SOURCES).optional(),
});

interface Cursor {
  at: number;
  id: string;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify([c.at, c.id])).toString("base64url");

function decode(raw: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof at === "number" && typeof id === "string" && /^[0-9a-f-]{36}$/.test(id)) return { at, id };
  } catch {}
  throw badRequest("cursor: not a cursor this API gave out", [{ path: "cursor", message: "is not valid" }]);
}

export interface TimelineRow {
  /** The event's own id (uuid): rung marks and merge records point at it. */
  eventId: string;
  clientId: string;
  source: string;
  type: string;
  occurredAt: Date;
  rung: number;
  channel: string | null;
  direction: string | null;
  summary: string;
  properties: Record<string, unknown>;
  campaign: Record<string, unknown> | null;
  identityHashes: string[];
}

/**
 * A person's events oldest first, a page at a time: one range scan of (workspace, profile, occurredAt, id),
 * filtered by source and channel on the way. Message bodies (channel messages, emails) are read from their
 * encrypted Message rows, an email's sealed subject and the like opened; the summary is then written again
 * with them.
 */
export async function readTimeline(
  db: Sql,
  workspaceId: string,
  profileId: string,
  opts: { limit: number; cursor?: string; source?: string; channel?: string; full?: boolean },
): Promise<{ rows: TimelineRow[]; nextCursor: string | null }> {
  const after = opts.cursor ? decode(opts.cursor) : null;
  const rows = await db.$queryRawUnsafe<
    {
      id: string;
      clientId: string;
      source: string;
      type: string;
      occurredAt: Date;
      rung: number;
      channel: string | null;
      direction: string | null;
      summary: string | null;
      properties: Record<string, unknown>;
      campaign?: Record<string, unknown> | null;
      identityHashes?: string[];
    }[]
  >(
    // The API's page leaves out what only the owner's journey shows (campaign, identifiers it arrived with).
    `SELECT id::text, "clientId", source::text AS source, type, "occurredAt", rung, channel, direction, summary,
       properties${opts.full ? `, campaign, "identityHashes"` : ""}
     FROM "Event" WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid
       AND ($3::timestamptz IS NULL OR ("occurredAt", id) > ($3::timestamptz, $4::uuid))
       AND ($5::text IS NULL OR source::text = $5)
       AND ($7::text IS NULL OR channel = $7)
     ORDER BY "occurredAt", id LIMIT $6`,
    workspaceId,
    profileId,
    after ? new Date(after.at) : null,
    after?.id ?? null,
    opts.source ?? null,
    opts.limit + 1,
    opts.channel ?? null,
  );
  const page = rows.slice(0, opts.limit);
  const messageIds = page.filter((r) => HAS_MESSAGE.has(r.source)).map((r) => r.id);
  const bodies = new Map<string, string | null>();
  if (messageIds.length) {
    const msgs = await db.$queryRawUnsafe<{ eventId: string | null; bodyEnc: string | null }[]>(
      `SELECT "eventId", "bodyEnc" FROM "Message" WHERE "profileId" = $1::uuid AND "eventId" = ANY($2::uuid[])`,
      profileId,
      messageIds,
    );
    for (const m of msgs) if (m.eventId) bodies.set(m.eventId, decryptOrNull(m.bodyEnc));
  }
  const last = page.at(-1);
  return {
    rows: page.map((r) => {
      const { properties, opened } = readableProperties(r.source, r.properties, bodies.get(r.id));
      return {
        eventId: r.id,
        clientId: r.clientId,
        source: r.source,
        type: r.type,
        occurredAt: r.occurredAt,
        rung: r.rung,
        channel: r.channel,
        direction: r.direction,
        summary: opened ? summarizeEvent({ ...r, properties }) : (r.summary ?? summarizeEvent(r)),
        properties,
        campaign: r.campaign ?? null,
        identityHashes: r.identityHashes ?? [],
      };
    }),
    nextCursor: rows.length > opts.limit && last ? encode({ at: last.occurredAt.getTime(), id: last.id }) : null,
  };
}

/** The timeline as API.md gives it (`GET /api/v1/profiles/{id}/timeline`). */
export async function getTimeline(
  db: Sql,
  workspaceId: string,
  profileId: string,
  opts: { limit: number; cursor?: string; source?: string },
) {
  const { rows, nextCursor } = await readTimeline(db, workspaceId, profileId, opts);
  return {
    events: rows.map((r) => ({
      id: r.clientId,
      source: r.source,
      type: r.type,
      occurredAt: r.occurredAt.toISOString(),
      rung: r.rung,
      channel: r.channel,
      direction: r.direction,
      summary: r.summary,
      properties: r.properties,
    })),
    nextCursor,
  };
}
