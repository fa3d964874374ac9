import { parsePhoneNumberFromString } from "libphonenumber-js";
import { decrypt, decryptOrNull } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { sqlOf } from "../db/raw-sql.ts";
import { sendBackRefusals } from "../privacy/send-back.ts";
import type { Destination } from "./conversion-kinds.ts";
import { META_WINDOW_MS } from "./enqueue-conversions.ts";
import { GOOGLE_BATCH, type GoogleConnection, sendToGoogle } from "./google-request.ts";
import { META_BATCH, type MetaConnection, sendToMeta } from "./meta-request.ts";
import { type Outcome, recordOutcomes } from "./record-outcomes.ts";
import type { ProviderAnswer, SendBackItem, SendBackPayload } from "./types.ts";

/** The `deliver` job (API.md "Cron and jobs"): every minute. */
export const DELIVER_JOB = "deliver";

export const deliveryLimits = {
  /** Tries before a row fails for good (shown under Integrations and on the person's timeline). */
  maxAttempts: 8,
  /** The first retry waits about this long; each next one twice as long, up to `maxDelayMs`. */
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 3600_000,
  /** Rows claimed at once (one claim statement). */
  claim: 2000,
  /** A run stops claiming after this long, so it ends within one cron invocation. */
  budgetMs: 45_000,
  /** A claimed row is invisible to other runs this long (a crashed run's rows come back after it). */
  leaseMs: 5 * 60_000,
};

/** Transient answers (INTEGRATIONS.md, issue 13): timeouts, throttling, server errors, no answer at all. */
export const isRetryable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of base·2^(n−1), capped; a
 * provider's Retry-After is a floor. `random` is injectable for tests.
 */
export function retryDelayMs(attempt: number, retryAfterS: number | null, random = Math.random) {
  const exp = Math.min(deliveryLimits.maxDelayMs, deliveryLimits.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.max(jittered, Math.min(retryAfterS ?? 0, deliveryLimits.maxDelayMs / 1000) * 1000);
}

interface Claimed {
  id: string;
  workspaceId: string;
  profileId: string | null;
  destination: Destination;
  occurredAt: Date;
  attempts: number;
  payload: SendBackPayload;
}

export interface DeliveryResult {
  requests: number;
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

/**
 * Claims due rows in bounded batches (`FOR UPDATE SKIP LOCKED`, so two instances or a retried cron never
 * take the same row; the claim moves `nextAt` a lease ahead and commits at once, no transaction is held over
 * HTTP), checks each person again (sendBackRefusals, maySendBack's rules for the whole batch: GPC, opt-outs, consent), sends up to 1,000 events per
 * request per workspace and network, and records the outcome: delivered; retried later with backoff on
 * 408/429/5xx/no answer; failed for good on another 4xx or after `maxAttempts` tries.
 */
export async function deliverConversions(db: Db, now = new Date()): Promise<DeliveryResult> {
  const result: DeliveryResult = { requests: 0, sent: 0, retrying: 0, failed: 0, cancelled: 0 };
  const started = Date.now();
  while (Date.now() - started < deliveryLimits.budgetMs) {
    const claimed = await claim(db, now);
    if (!claimed.length) break;
    // RETURNING keeps no order: the conversions go out in the order they happened.
    claimed.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id));
    const groups = new Map<string, Claimed[]>();
    for (const row of claimed) {
      const key = `${row.workspaceId}|${row.destination}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const rows of groups.values()) await deliverGroup(db, rows, now, result);
    if (claimed.length < deliveryLimits.claim) break;
  }
  return result;
}

async function claim(db: Db, now: Date): Promise<Claimed[]> {
  return sqlOf(db).$queryRawUnsafe<Claimed[]>(
    `UPDATE "Outbox" o SET attempts = o.attempts + 1, "nextAt" = $1::timestamptz + ($3 || ' milliseconds')::interval
     WHERE o.id IN (
       SELECT id FROM "Outbox" WHERE status = 'pending' AND "nextAt" <= $1::timestamptz
         AND destination IN ('meta', 'google')
       ORDER BY "nextAt", "occurredAt", id LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING o.id, o."workspaceId", o."profileId", o.destination, o."occurredAt", o.attempts, o.payload`,
    now,
    deliveryLimits.claim,
    String(deliveryLimits.leaseMs),
  );
}

async function deliverGroup(db: Db, rows: Claimed[], now: Date, result: DeliveryResult) {
  const first = rows[0];
  if (!first) return;
  const { workspaceId, destination } = first;
  const outcomes: Outcome[] = [];
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { workspaceId_provider_name: { workspaceId, provider: destination, name: "default" } },
    select: { secretEnc: true, config: true },
  });
  if (!endpoint) {
    for (const r of rows)
      outcomes.push({ row: r, status: "cancelled", error: `${label(destination)} is not connected` });
    result.cancelled += rows.length;
    return recordOutcomes(db, workspaceId, destination, outcomes, now);
  }

  // P5, P7: checked again at delivery, from the database (an opt-out or GPC since the enqueue wins).
  const people = [...new Set(rows.map((r) => r.profileId).filter((p): p is string => !!p))];
  const readable = await readableIdentifiers(db, workspaceId, people);
  const phoneCountries = new Map(
    [...readable].map(([id, r]) => [
      id,
      r.phones.flatMap((p) => parsePhoneNumberFromString(p)?.country ?? []) as string[],
    ]),
  );
  const refusals = await sendBackRefusals(db, workspaceId, people, phoneCountries);

  const ready: SendBackItem[] = [];
  for (const r of rows) {
    const reason = r.profileId ? refusals.get(r.profileId) : "the person was erased";
    if (reason || !r.profileId) {
      outcomes.push({ row: r, status: "cancelled", error: reason ?? "the person was erased" });
      result.cancelled++;
      continue;
    }
    if (destination === "meta" && now.getTime() - r.occurredAt.getTime() > META_WINDOW_MS) {
      outcomes.push({ row: r, status: "failed", error: "older than Meta's 7-day window: not sent", httpStatus: null });
      result.failed++;
      continue;
    }
    const ids = readable.get(r.profileId) ?? { emails: [], phones: [] };
    ready.push({ ...r, profileId: r.profileId, ...ids });
  }

  const size = destination === "meta" ? META_BATCH : GOOGLE_BATCH;
  for (let i = 0; i < ready.length; i += size) {
    const chunk = ready.slice(i, i + size);
    const answer = await send(destination, endpoint, chunk);
    result.requests++;
    for (const item of chunk) {
      const row = rows.find((r) => r.id === item.id) as Claimed;
      const o = judge(row, answer, now);
      outcomes.push(o);
      if (o.status === "delivered") result.sent++;
      else if (o.status === "retry") result.retrying++;
      else result.failed++;
    }
  }
  await recordOutcomes(db, workspaceId, destination, outcomes, now);
}

const label = (d: Destination) => (d === "meta" ? "Meta" : "Google Ads");

function judge(row: Claimed, answer: ProviderAnswer, now: Date): Outcome {
  if (answer.status >= 200 && answer.status < 300) return { row, status: "delivered", httpStatus: answer.status };
  const error = answer.error ?? `HTTP ${answer.status}`;
  if (isRetryable(answer.status) && row.attempts < deliveryLimits.maxAttempts)
    return {
      row,
      status: "retry",
      error,
      httpStatus: answer.status,
      nextAt: new Date(now.getTime() + retryDelayMs(row.attempts, answer.retryAfter)),
    };
  const final = isRetryable(answer.status) ? `${error} (gave up after ${row.attempts} tries)` : error;
  return { row, status: "failed", error: final, httpStatus: answer.status };
}

function send(
  destination: Destination,
  endpoint: { secretEnc: string; config: unknown },
  items: SendBackItem[],
): Promise<ProviderAnswer> {
  const token = decrypt(endpoint.secretEnc);
  const config = (endpoint.config ?? {}) as Record<string, string | undefined>;
  if (destination === "meta") {
    const c: MetaConnection = {
      pixelId: config.pixelId ?? "",
      accessToken: token,
      testEventCode: config.testEventCode,
    };
    return sendToMeta(c, items);
  }
  const c: GoogleConnection = {
    customerId: config.customerId ?? "",
    conversionAction: config.conversionAction ?? "",
    accessToken: token,
  };
  return sendToGoogle(c, items);
}

/** The people's readable emails and phones (up to 5 each), decrypted for this delivery and never kept. */
async function readableIdentifiers(db: Db, workspaceId: string, profileIds: string[]) {
  const out = new Map<string, { emails: string[]; phones: string[] }>();
  if (!profileIds.length) return out;
  const rows = await db.identifier.findMany({
    where: { workspaceId, profileId: { in: profileIds }, type: { in: ["email", "phone"] }, valueEnc: { not: null } },
    select: { profileId: true, type: true, valueEnc: true },
    orderBy: { lastSeenAt: "desc" },
  });
  for (const r of rows) {
    const value = decryptOrNull(r.valueEnc);
    if (!value) continue;
    const entry = out.get(r.profileId) ?? { emails: [], phones: [] };
    const list = r.type === "email" ? entry.emails : entry.phones;
    if (list.length < 5) list.push(value);
    out.set(r.profileId, entry);
  }
  return out;
}
