import type { Sql } from "../db/raw-sql.ts";

export interface SummaryRefund {
  eventId: string;
  profileId: string | null;
  refundedAt: Date;
  /** Minor units, as lib/integrations/stripe/map-event.ts stores `properties.amount`. */
  amount: number;
  currency: string;
}

/**
 * The refunds of `[from, to)`: `payment_refunded` events with their amount, newest first — the money only; the
 * refunds report (lib/reports/refunds.ts) adds cancelled bookings, each thread and its sentiment, for the page
 * the summary links to.
 */
export async function summaryRefunds(
  db: Sql,
  workspaceId: string,
  range: { from: Date; to: Date },
  limit = 100,
): Promise<SummaryRefund[]> {
  const rows = await db.$queryRawUnsafe<(Omit<SummaryRefund, "amount"> & { amount: number | null })[]>(
    `SELECT id AS "eventId", "profileId", "occurredAt" AS "refundedAt",
       CASE WHEN jsonb_typeof(properties -> 'amount') = 'number' THEN (properties ->> 'amount')::float8 END AS amount,
       lower(coalesce(properties ->> 'currency', '')) AS currency
     FROM "Event"
     WHERE "workspaceId" = $1::uuid AND type = 'payment_refunded' AND "occurredAt" >= $2 AND "occurredAt" < $3
     ORDER BY "occurredAt" DESC LIMIT ${Math.trunc(limit)}`,
    workspaceId,
    range.from,
    range.to,
  );
  return rows.map((r) => ({ ...r, amount: r.amount ?? 0 }));
}
