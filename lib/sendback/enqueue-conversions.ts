import type { Sql } from "../db/raw-sql.ts";
import { CONSENT_COUNTRIES } from "../privacy/consent-region.ts";
import { NO_SEND_BACK_SCOPES } from "../privacy/send-back.ts";
import { type ConversionFacts, type ConversionKind, conversionKind, conversionValue } from "./conversion-kinds.ts";

/** Meta refuses an `event_time` older than 7 days (INTEGRATIONS.md 4.1). */
export const META_WINDOW_MS = 7 * 24 * 3600 * 1000;

/** One stored event of a batch that may be a conversion. */
export interface ConversionCandidate extends ConversionFacts {
  /** The Event row's id and the client's own id (Meta's event_id, Google's transactionId). */
  eventId: string;
  clientId: string;
  /** The live profile it was stored on. */
  profileId: string;
  occurredAt: Date;
  channel: string | null;
  identityHashes: string[];
}

interface Row {
  eventId: string;
  clientId: string;
  profileId: string;
  kind: ConversionKind;
  dedupeKey: string;
  occurredAt: string;
  value: number | null;
  currency: string | null;
  source: string;
  channel: string | null;
  identityHashes: string[];
}

/** The batch's conversions as outbox candidates (no database work: most batches have none). */
export function conversionRows(candidates: readonly ConversionCandidate[]): Row[] {
  const rows: Row[] = [];
  for (const c of candidates) {
    const kind = conversionKind(c);
    if (!kind) continue;
    const { value, currency } = conversionValue(c.properties);
    rows.push({
      eventId: c.eventId,
      clientId: c.clientId,
      profileId: c.profileId,
      kind,
      dedupeKey: kind === "Lead" ? `lead:${c.profileId}` : `event:${c.clientId}`,
      occurredAt: c.occurredAt.toISOString(),
      value,
      currency,
      source: c.source,
      channel: c.channel,
      identityHashes: c.identityHashes,
    });
  }
  return rows;
}

/**
 * P5, decision 021: inside the ingest transaction that stores the events, ONE statement writes an Outbox row per
 * conversion and connected network (`meta`, `google` integrations) — only for a person who came from that
 * network's ad (a Meta click id, `fbclid`; a Google one, `gclid`/`gbraid`/`wbraid`, on one of their events in the
 * 90 days up to the conversion) and who may be sent back: no GPC mark, not opted out, no `sendback`/`tracking`/
 * `all` suppression over their identifiers or the event's own, and — in the consent regime (an EU-region
 * workspace, or one whose default country is in it) — a latest consent choice of `granted`; a `denied` one
 * stops it anywhere. Meta rows only within its 7-day window. The delivery checks all of it again
 * (send-back.ts). A retried event, or a second lead of one person, writes nothing (the dedupe key).
 */
export async function enqueueConversions(
  tx: Sql,
  workspaceId: string,
  candidates: readonly ConversionCandidate[],
  now = new Date(),
): Promise<number> {
  const rows = conversionRows(candidates);
  if (!rows.length) return 0;
  return tx.$executeRawUnsafe(
    ENQUEUE_SQL,
    workspaceId,
    JSON.stringify(rows),
    now,
    [...CONSENT_COUNTRIES],
    NO_SEND_BACK_SCOPES,
  );
}

const ENQUEUE_SQL = `
WITH c AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS x("eventId" uuid, "clientId" text, "profileId" uuid, kind text,
    "dedupeKey" text, "occurredAt" timestamptz, value float8, currency text, source text, channel text,
    "identityHashes" text[])
),
ok AS (
  SELECT c.* FROM c
  -- Driven from the batch's rows, one probe each (LIMIT 1 keeps each LATERAL a parameterised probe).
  CROSS JOIN LATERAL (SELECT p.id, p."gpcAt", p."optedOutAt" FROM "Profile" p
    WHERE p."workspaceId" = $1::uuid AND p.id = c."profileId" LIMIT 1) p
  CROSS JOIN LATERAL (SELECT region, "defaultCountry" FROM "Workspace" WHERE id = $1::uuid LIMIT 1) w
  WHERE p."gpcAt" IS NULL AND p."optedOutAt" IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM "Identifier" i JOIN "Suppression" s ON s."workspaceId" = i."workspaceId" AND s.type = i.type
        AND s.hash = i.hash AND s.scope = ANY($5::text[])
      WHERE i."workspaceId" = $1::uuid AND i."profileId" = p.id)
    AND NOT EXISTS (
      SELECT 1 FROM unnest(c."identityHashes") k JOIN "Suppression" s ON s."workspaceId" = $1::uuid
        AND s.type = split_part(k, ':', 1)::"IdentifierType" AND s.hash = substr(k, strpos(k, ':') + 1)
        AND s.scope = ANY($5::text[]))
    AND COALESCE(
      (SELECT r.choice = 'granted' FROM "ConsentRecord" r WHERE r."workspaceId" = $1::uuid AND r."profileId" = p.id
       ORDER BY r."createdAt" DESC, r.id DESC LIMIT 1),
      NOT (w.region = 'eu' OR w."defaultCountry" = ANY($4::text[])))
),
d AS (
  SELECT provider AS destination FROM "WebhookEndpoint"
  WHERE "workspaceId" = $1::uuid AND name = 'default' AND provider IN ('meta', 'google')
)
INSERT INTO "Outbox" (id, "workspaceId", "profileId", destination, kind, "eventId", "dedupeKey", "occurredAt", payload,
  status, attempts, "nextAt", "createdAt")
SELECT gen_random_uuid(), $1::uuid, ok."profileId", d.destination, ok.kind, ok."eventId", ok."dedupeKey", ok."occurredAt",
  jsonb_strip_nulls(jsonb_build_object('eventId', ok."clientId", 'eventName', ok.kind, 'value', ok.value,
    'currency', ok.currency, 'source', ok.source, 'channel', ok.channel, 'click', k.click, 'clickType', k."clickType",
    'clickAt', k.at)),
  'pending', 0, $3, $3
FROM ok CROSS JOIN d
CROSS JOIN LATERAL (
  SELECT CASE WHEN d.destination = 'meta' THEN e.campaign->>'fbclid'
              ELSE COALESCE(e.campaign->>'gclid', e.campaign->>'gbraid', e.campaign->>'wbraid') END AS click,
         CASE WHEN d.destination = 'meta' THEN 'fbclid' WHEN e.campaign ? 'gclid' THEN 'gclid'
              WHEN e.campaign ? 'gbraid' THEN 'gbraid' ELSE 'wbraid' END AS "clickType",
         e."occurredAt" AS at
  FROM "Event" e
  WHERE e."workspaceId" = $1::uuid AND e."profileId" = ok."profileId" AND e.campaign IS NOT NULL
    -- The time bounds are written as expressions on purpose: as plain column ranges they let the planner walk the
    -- workspace's (workspaceId, occurredAt) index through every event of those 90 days and filter them by person
    -- (it did, on fresh statistics). This way only the person's own index (workspaceId, profileId, …) applies.
    AND e."occurredAt" + interval '0 seconds' <= ok."occurredAt"
    AND e."occurredAt" + interval '0 seconds' > ok."occurredAt" - interval '90 days'
    AND CASE WHEN d.destination = 'meta' THEN e.campaign ? 'fbclid' ELSE e.campaign ?| array['gclid', 'gbraid', 'wbraid'] END
  ORDER BY e."occurredAt" + interval '0 seconds' DESC LIMIT 1
) k
WHERE d.destination <> 'meta' OR ok."occurredAt" > $3::timestamptz - interval '7 days'
ON CONFLICT ("workspaceId", destination, "dedupeKey") DO NOTHING`;
