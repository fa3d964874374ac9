import type { Db } from "../db/client.ts";
import { coalesced } from "../db/coalesce.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";

/** A receipt's key: unique on (workspace, integration, delivery id). */
export interface ReceiptKey {
  workspaceId: string;
  provider: string;
  externalId: string;
}

interface NewReceipt extends ReceiptKey {
  scheme: string;
  bodyEnc: string;
  headers: Record<string, string>;
}

const KEY_RECORD = `"workspaceId" uuid, provider text, "externalId" text`;
const SAME_KEY = `r."workspaceId" = x."workspaceId" AND r.provider = x.provider AND r."externalId" = x."externalId"`;

/**
 * Receipts kept together: one statement inserts them all (a key already there, or twice in the run, is left
 * alone) and reads, for each, whether this row went in and the outcome a receipt already there had — read in
 * the statement's snapshot, so a copy that committed after it began is seen by neither half (inserted =
 * false, before = null) and the caller treats it as one still being processed. Raw SQL on the pool, grouped
 * while a run is in flight (lib/db/coalesce.ts): every delivery pays this (decision 009).
 */
const keepAll = coalesced(async (db: Db, rows: (NewReceipt & { id: string })[]) => {
  const found = await sqlOf(db).$queryRawUnsafe<{ id: string; inserted: boolean; before: string | null }[]>(
    `WITH x AS MATERIALIZED (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, ${KEY_RECORD}, scheme text, "bodyEnc" text, headers jsonb)),
     ins AS (
       INSERT INTO "WebhookReceipt" (id, "workspaceId", provider, "externalId", scheme, "bodyEnc", headers)
       SELECT id, "workspaceId", provider, "externalId", scheme, "bodyEnc", headers FROM x
       ON CONFLICT ("workspaceId", provider, "externalId") DO NOTHING RETURNING id)
     SELECT x.id, EXISTS (SELECT 1 FROM ins WHERE ins.id = x.id) AS inserted,
       (SELECT r.outcome FROM "WebhookReceipt" r WHERE ${SAME_KEY}) AS before
     FROM x`,
    JSON.stringify(rows),
  );
  const byId = new Map(found.map((f) => [f.id, f]));
  return rows.map((r) => ({ inserted: byId.get(r.id)?.inserted ?? false, before: byId.get(r.id)?.before ?? null }));
});

/** Keeps a delivery before it is processed: inserted (`before` null), or already there with its outcome. */
export function keepReceipt(db: Db, receipt: NewReceipt): Promise<{ inserted: boolean; before: string | null }> {
  return keepAll(db, { ...receipt, id: uuidv7() });
}

/** A delivery that failed before (or is being processed by a racing copy) is received again: one more attempt. */
export async function reopenReceipt(db: Db, key: ReceiptKey): Promise<void> {
  await sqlOf(db).$executeRawUnsafe(
    `UPDATE "WebhookReceipt" SET attempts = attempts + 1, outcome = 'received', error = NULL, "receivedAt" = now()
     WHERE "workspaceId" = $1::uuid AND provider = $2 AND "externalId" = $3`,
    key.workspaceId,
    key.provider,
    key.externalId,
  );
}

export interface ReceiptOutcome {
  outcome: "processed" | "ignored" | "failed";
  error?: string | null;
  summary?: string;
  eventCount?: number;
  identityHashes?: string[];
}

/** Outcomes written together, as receipts are kept; fields left out keep what the receipt had. */
const finishAll = coalesced(async (db: Db, rows: (ReceiptKey & ReceiptOutcome)[]) => {
  await sqlOf(db).$executeRawUnsafe(
    `UPDATE "WebhookReceipt" r SET "processedAt" = now(), outcome = x.outcome, error = x.error,
       summary = COALESCE(x.summary, r.summary), "eventCount" = COALESCE(x."eventCount", r."eventCount"),
       "identityHashes" = COALESCE(x."identityHashes", r."identityHashes")
     FROM jsonb_to_recordset($1::jsonb) AS x(${KEY_RECORD}, outcome text, error text, summary text,
       "eventCount" int, "identityHashes" text[])
     WHERE ${SAME_KEY}`,
    JSON.stringify(rows),
  );
  return rows.map(() => undefined);
});

/** What became of the delivery, for the delivery log. */
export function finishReceipt(db: Db, key: ReceiptKey, done: ReceiptOutcome): Promise<void> {
  return finishAll(db, { ...key, ...done });
}
