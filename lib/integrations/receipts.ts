import type { Sql } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";

/** A receipt's key: unique on (workspace, integration, delivery id). */
export interface ReceiptKey {
  workspaceId: string;
  provider: string;
  externalId: string;
}

const WHERE = `"workspaceId" = $1::uuid AND provider = $2 AND "externalId" = $3`;

/**
 * Keeps a delivery before it is processed, in one round trip: inserted (`before` null), or already there, with
 * the outcome it had. A copy racing ours that committed after this statement began is seen by neither half:
 * it reads as inserted = false, before = null, and the caller treats it as one still being processed.
 * Raw SQL on the pool, not Prisma: every webhook pays this (decision 009).
 */
export async function keepReceipt(
  sql: Sql,
  key: ReceiptKey,
  receipt: { scheme: string; bodyEnc: string; headers: Record<string, string> },
): Promise<{ inserted: boolean; before: string | null }> {
  const [row] = await sql.$queryRawUnsafe<{ inserted: boolean; before: string | null }[]>(
    `WITH ins AS (
       INSERT INTO "WebhookReceipt" (id, "workspaceId", provider, "externalId", scheme, "bodyEnc", headers)
       VALUES ($4::uuid, $1::uuid, $2, $3, $5, $6, $7::jsonb)
       ON CONFLICT ("workspaceId", provider, "externalId") DO NOTHING RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM ins) AS inserted, (SELECT outcome FROM "WebhookReceipt" WHERE ${WHERE}) AS before`,
    key.workspaceId,
    key.provider,
    key.externalId,
    uuidv7(),
    receipt.scheme,
    receipt.bodyEnc,
    JSON.stringify(receipt.headers),
  );
  return { inserted: row?.inserted ?? false, before: row?.before ?? null };
}

/** A delivery that failed before (or is being processed by a racing copy) is received again: one more attempt. */
export async function reopenReceipt(sql: Sql, key: ReceiptKey): Promise<void> {
  await sql.$executeRawUnsafe(
    `UPDATE "WebhookReceipt" SET attempts = attempts + 1, outcome = 'received', error = NULL, "receivedAt" = now()
     WHERE ${WHERE}`,
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

/** What became of the delivery, for the delivery log; fields left out keep what the receipt had. */
export async function finishReceipt(sql: Sql, key: ReceiptKey, done: ReceiptOutcome): Promise<void> {
  await sql.$executeRawUnsafe(
    `UPDATE "WebhookReceipt" SET "processedAt" = now(), outcome = $4, error = $5, summary = COALESCE($6, summary),
       "eventCount" = COALESCE($7, "eventCount"), "identityHashes" = COALESCE($8::text[], "identityHashes")
     WHERE ${WHERE}`,
    key.workspaceId,
    key.provider,
    key.externalId,
    done.outcome,
    done.error ?? null,
    done.summary ?? null,
    done.eventCount ?? null,
    done.identityHashes ?? null,
  );
}
