import type { Db } from "../db/client.ts";
import { sqlTransaction } from "../db/raw-sql.ts";
import { TRANSIENT, withRetry } from "../db/retry.ts";
import type { Destination } from "./conversion-kinds.ts";

export interface Outcome {
  row: { id: string; profileId: string | null };
  status: "delivered" | "retry" | "failed" | "cancelled";
  error?: string;
  /** The provider's HTTP status; null when no request was made for the row. */
  httpStatus?: number | null;
  nextAt?: Date;
}

export const DESTINATION_LABEL: Record<Destination, string> = { meta: "Meta", google: "Google Ads" };

/**
 * Writes what became of each row in one statement, and — for a row that ended delivered or failed — an
 * `ads/conversion_sent` event on the person's timeline ("Sent to Meta ✓", "Meta refused: …"), with the
 * profile's event count kept right (profiles locked first, in the R8 order). A row cancelled meanwhile (an
 * opt-out, erasure) is left as it is. Retried as a whole on a deadlock.
 */
export async function recordOutcomes(
  db: Db,
  workspaceId: string,
  destination: Destination,
  outcomes: readonly Outcome[],
  now: Date,
) {
  if (!outcomes.length) return;
  const rows = outcomes.map((o) => ({
    id: o.row.id,
    status: o.status === "retry" ? "pending" : o.status,
    error: o.error ?? null,
    http: o.httpStatus ?? null,
    nextAt: o.nextAt?.toISOString() ?? null,
  }));
  const people = [...new Set(outcomes.map((o) => o.row.profileId).filter((p): p is string => !!p))].sort();
  const label = DESTINATION_LABEL[destination];
  await withRetry(
    () =>
      sqlTransaction(db, async (tx) => {
        if (people.length)
          await tx.$queryRawUnsafe(
            `SELECT id FROM "Profile" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
            workspaceId,
            people,
          );
        await tx.$executeRawUnsafe(OUTCOME_SQL, workspaceId, JSON.stringify(rows), now, destination, label);
      }),
    { attempts: 4, codes: TRANSIENT },
  );
}

const OUTCOME_SQL = `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, status text, error text, http int, "nextAt" timestamptz)
),
upd AS (
  UPDATE "Outbox" o SET status = x.status, "lastError" = x.error, "lastStatus" = COALESCE(x.http, o."lastStatus"),
    "nextAt" = COALESCE(x."nextAt", o."nextAt"),
    "deliveredAt" = CASE WHEN x.status = 'delivered' THEN $3::timestamptz ELSE o."deliveredAt" END,
    "finishedAt" = CASE WHEN x.status = 'pending' THEN NULL ELSE $3::timestamptz END
  FROM x WHERE o.id = x.id AND o."workspaceId" = $1::uuid AND o.status = 'pending'
  RETURNING o.id, o."profileId", o.status, o."lastError", o."lastStatus", o.kind, o.payload, x.http
),
ev AS (
  INSERT INTO "Event" (id, "workspaceId", "profileId", "clientId", source, type, "occurredAt", rung, properties, summary)
  SELECT gen_random_uuid(), $1::uuid, p.id, 'sendback:' || upd.id, 'ads'::"EventSource", 'conversion_sent', $3::timestamptz,
    p.rung,
    jsonb_strip_nulls(jsonb_build_object('destination', $4::text, 'status',
      CASE WHEN upd.status = 'delivered' THEN 'sent' WHEN upd.http IS NULL THEN 'not_sent' ELSE 'refused' END,
      'conversion', upd.kind, 'eventId', upd.payload->>'eventId', 'value', upd.payload->'value',
      'currency', upd.payload->>'currency', 'error', upd."lastError")),
    CASE WHEN upd.status = 'delivered' THEN 'Sent to ' || $5::text || ' ✓'
         WHEN upd.http IS NULL THEN left('Not sent to ' || $5::text || ': ' || coalesce(upd."lastError", ''), 200)
         ELSE left($5::text || ' refused: ' || coalesce(upd."lastError", 'HTTP ' || upd.http), 200) END
  FROM upd JOIN "Profile" p ON p.id = upd."profileId" AND p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL
  WHERE upd.status IN ('delivered', 'failed')
  ON CONFLICT ("workspaceId", "clientId") DO NOTHING
  RETURNING "profileId"
)
UPDATE "Profile" p SET "eventCount" = p."eventCount" + c.n
FROM (SELECT "profileId", count(*)::int AS n FROM ev GROUP BY 1) c
WHERE p.id = c."profileId"`;
