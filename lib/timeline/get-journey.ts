import { z } from "zod";
import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import { CHANNELS } from "../ingest/schemas.ts";
import { describeEvent, type EventDescription } from "./describe-event.ts";
import { readTimeline, type TimelineRow, timelineQuery } from "./get-timeline.ts";

/** The owner's journey: the timeline's `?limit=&cursor=&source=` and a channel. */
export const journeyQuery = timelineQuery.extend({ channel: z.enum(CHANNELS).optional() });
export type JourneyQuery = z.infer<typeof journeyQuery>;

export interface JourneyEvent extends EventDescription {
  id: string;
  source: string;
  type: string;
  occurredAt: string;
  rung: number;
  channel: string | null;
  direction: string | null;
  summary: string;
  /** The rung this event took the person to, when it is the event that did (ProfileRung). */
  reached: number | null;
  /** The identifiers the event arrived with, readable (devices have no readable value). */
  arrivedWith: { type: string; value: string | null }[];
  properties: Record<string, unknown>;
  campaign: Record<string, unknown> | null;
}

/** What the person holds, to name the identifiers each event arrived with, and which event reached each rung. */
export async function journeyContext(db: Sql, workspaceId: string, profileId: string) {
  const [identifiers, rungs] = await Promise.all([
    db.$queryRawUnsafe<{ type: string; hash: string; valueEnc: string | null }[]>(
      `SELECT type::text AS type, hash, "valueEnc" FROM "Identifier" WHERE "profileId" = $1::uuid AND "workspaceId" = $2::uuid`,
      profileId,
      workspaceId,
    ),
    db.$queryRawUnsafe<{ rung: number; eventId: string | null }[]>(
      `SELECT rung, "eventId"::text AS "eventId" FROM "ProfileRung" WHERE "profileId" = $1::uuid`,
      profileId,
    ),
  ]);
  const names = new Map(
    identifiers.map((i) => [`${i.type}:${i.hash}`, { type: i.type, value: decryptOrNull(i.valueEnc) }]),
  );
  const reached = new Map<string, number>();
  for (const r of rungs) if (r.eventId) reached.set(r.eventId, Math.max(reached.get(r.eventId) ?? -1, r.rung));
  return { names, reached };
}

export function toJourneyEvent(r: TimelineRow, ctx: Awaited<ReturnType<typeof journeyContext>>): JourneyEvent {
  return {
    id: r.clientId,
    source: r.source,
    type: r.type,
    occurredAt: r.occurredAt.toISOString(),
    rung: r.rung,
    channel: r.channel,
    direction: r.direction,
    summary: r.summary,
    ...describeEvent(r),
    reached: ctx.reached.get(r.eventId) ?? null,
    arrivedWith: r.identityHashes.flatMap((k) => {
      const known = ctx.names.get(k);
      return known ? [known] : [];
    }),
    properties: r.properties,
    campaign: r.campaign,
  };
}

/**
 * One page of a person's journey for the owner's page (`GET /api/app/{ws}/people/{id}/timeline`): the
 * timeline's keyset page (filtered by source and channel), each event described in plain words, the rung
 * it reached marked, and the identifiers it arrived with readable (members see their customers' contacts).
 */
export async function getJourneyPage(db: Sql, workspaceId: string, profileId: string, query: JourneyQuery) {
  const [page, ctx] = await Promise.all([
    readTimeline(db, workspaceId, profileId, { ...query, full: true }),
    journeyContext(db, workspaceId, profileId),
  ]);
  return { events: page.rows.map((r) => toJourneyEvent(r, ctx)), nextCursor: page.nextCursor };
}
