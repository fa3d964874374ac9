import { createHash } from "node:crypto";
import type { Sql } from "../db/raw-sql.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { type ConsentProps, consentPropsSchema } from "./consent-schema.ts";

/** The suppression reason of a withdrawn consent: the device's later events are refused (P4, R18). */
export const CONSENT_WITHDRAWN = "consent_withdrawn";

/** One `consent` event of the tracker: `{choice, bannerVersion, gpc}` (lib/tracker/README.md). */
export interface ConsentChoice extends ConsentProps {
  clientId: string;
  at: Date;
}

/** A tracker event as far as consent is concerned. */
interface TrackerEvent {
  id: string;
  type: string;
  ts?: Date | null;
  props?: Record<string, unknown> | null;
}

/**
 * The batch's `consent` events in order, their props read by the privacy capability's own schema.
 */
export function consentChoicesOf(events: readonly TrackerEvent[], receivedAt = new Date()): ConsentChoice[] {
  return events
    .filter((e) => e.type === "consent")
    .map((e) => ({ clientId: e.id, ...consentPropsSchema.parse(e.props ?? {}), at: e.ts ?? receivedAt }));
}

/**
 * A ConsentRecord's id, derived from the workspace and its consent event's id (a UUIDv8 of their SHA-256):
 * the same event sent again names the same record, so a retried batch cannot write it twice.
 */
export function consentRecordId(workspaceId: string, clientId: string) {
  const h = createHash("sha256").update(`consent\u0000${workspaceId}\u0000${clientId}`).digest("hex");
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The latest choice recorded for a device, by the time the browser made it. */
async function latestRecorded(db: Sql, workspaceId: string, deviceHash: string) {
  const rows = await db.$queryRawUnsafe<{ choice: string; at: Date }[]>(
    `SELECT choice, "createdAt" AS at FROM "ConsentRecord" WHERE "workspaceId" = $1::uuid AND "deviceHash" = $2
     ORDER BY "createdAt" DESC, id DESC LIMIT 1`,
    workspaceId,
    deviceHash,
  );
  return rows[0] ?? null;
}

/**
 * Before a batch is stored: a grant from a device that had withdrawn lifts the withdrawal, so the grant and
 * the events sent with it are stored (the person changed their mind through the site's banner). A grant
 * older than the device's latest recorded refusal (a slow request overtaken by the refusal) lifts nothing.
 * Only the suppression this capability made is removed; an opt-out of another kind stays.
 */
export async function liftWithdrawal(db: Sql, workspaceId: string, deviceHash: string, choices: ConsentChoice[]) {
  const last = choices.at(-1);
  if (last?.choice !== "granted") return false;
  const recorded = await latestRecorded(db, workspaceId, deviceHash);
  if (recorded && recorded.choice !== "granted" && recorded.at.getTime() > last.at.getTime()) return false;
  const n = await db.$executeRawUnsafe(
    `DELETE FROM "Suppression" WHERE "workspaceId" = $1::uuid AND type = 'device' AND hash = $2 AND reason = $3`,
    workspaceId,
    deviceHash,
    CONSENT_WITHDRAWN,
  );
  return n > 0;
}

export interface RecordConsentInput {
  workspaceId: string;
  /** The device identifier's keyed hash (as ingestion computes it), or null without a usable device id. */
  deviceHash: string | null;
  /** The live profile each consent event was stored on, by client id (null when it was not stored). */
  profileOf: (clientId: string) => string | null;
  country: string | null;
  /** `Sec-GPC: 1` on the request. */
  gpcHeader: boolean;
}

/**
 * After a batch is stored (P3, P4): one ConsentRecord per consent event — a retried batch (same event ids)
 * writes none again — then, when the device's latest choice is a refusal, its later events are refused
 * (a Suppression of the device hash, scope all). Its history stays: withdrawal is not erasure.
 * Returns whether the device stands withdrawn.
 */
export async function recordConsent(db: Sql, input: RecordConsentInput, choices: ConsentChoice[]): Promise<boolean> {
  if (!choices.length) return false;
  const { workspaceId, deviceHash } = input;
  await db.$executeRawUnsafe(
    `INSERT INTO "ConsentRecord" (id, "workspaceId", "profileId", "deviceHash", choice, "bannerVersion", country, gpc, "createdAt")
     SELECT c.id, $1::uuid, c."profileId", $2, c.choice, c.version, $3, c.gpc, c.at
     FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::boolean[], $9::timestamptz[])
       AS c(id, "profileId", choice, version, gpc, at)
     ON CONFLICT (id) DO NOTHING`,
    workspaceId,
    deviceHash,
    input.country,
    choices.map((c) => consentRecordId(workspaceId, c.clientId)),
    choices.map((c) => input.profileOf(c.clientId)),
    choices.map((c) => c.choice),
    choices.map((c) => c.bannerVersion),
    choices.map((c) => c.gpc || input.gpcHeader),
    choices.map((c) => c.at),
  );
  if (!deviceHash) return false;
  const latest = await latestRecorded(db, workspaceId, deviceHash);
  if (latest?.choice !== "denied") return false;
  await db.$executeRawUnsafe(
    `INSERT INTO "Suppression" (id, "workspaceId", type, hash, scope, reason)
     VALUES ($1::uuid, $2::uuid, 'device', $3, 'all', $4) ON CONFLICT ("workspaceId", type, hash, scope) DO NOTHING`,
    uuidv7(),
    workspaceId,
    deviceHash,
    CONSENT_WITHDRAWN,
  );
  return true;
}
