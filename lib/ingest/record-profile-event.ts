import type { Db } from "../db/client.ts";
import { type Sql, sqlTransaction } from "../db/raw-sql.ts";
import { TryAgain, withRetry } from "../db/retry.ts";
import type { Campaign } from "../identity/attribution.ts";
import { IdentityState } from "../identity/identity-state.ts";
import { resolveProfileId } from "../identity/resolve-profile-id.ts";
import type { IdentifierType } from "../identity/types.ts";
import { isTrackingEvent } from "../privacy/tracking-opt-out.ts";
import { type ProfileRow as LockedProfileRow, profileFromRow } from "./load-batch.ts";
import { type IngestWorkspace, identityContext } from "./load-workspace.ts";
import { prepareEvent } from "./prepare-events.ts";
import type { IngestEvent, Source } from "./schemas.ts";
import { writeBatch } from "./write-batch.ts";

/**
 * An event the product itself observed about a person it already knows by profile id, not by an identifier:
 * a tracked link opened (`pixel/link_clicked`), an email opened (`email/email_opened`). Such an event carries
 * no identifier of its own (R9: a split leaves it with the profile it was recorded on).
 */
export interface ProfileEventInput {
  /** Deterministic client id (idempotency): recording it again stores nothing new. */
  id: string;
  source: Source;
  type: string;
  occurredAt: Date;
  channel?: string | null;
  properties?: Record<string, unknown>;
  campaign?: Campaign | null;
}

export interface RecordedProfileEvent {
  /** The stored event's row id, or null when nothing was stored (profile gone, opted out). */
  eventId: string | null;
  /** The live profile the event belongs to. */
  profileId: string | null;
  rung: number | null;
  duplicate: boolean;
}

interface ProfileRow extends LockedProfileRow {
  optedOutAt: Date | null;
  suppressed: boolean;
  /** Opted out of tracking (decision 014): its opens and clicks are not recorded either. */
  untracked: boolean;
}

const NOTHING: RecordedProfileEvent = { eventId: null, profileId: null, rung: null, duplicate: false };

/**
 * Records one event on a known profile inside the caller's transaction, the way ingestion would have: the
 * profile (followed through merges to its survivor, R6) is locked, the event gets the rung the person stands
 * on (R11), and seen times, touches (R15), event count and rungs reached are written by the same statement
 * that writes ingested batches. A profile erased, opted out or suppressed (R18) gets nothing.
 */
export async function recordProfileEventTx(
  tx: Sql,
  workspace: IngestWorkspace,
  profileId: string,
  input: ProfileEventInput,
): Promise<RecordedProfileEvent> {
  const row = await lockLiveProfile(tx, workspace.id, profileId);
  if (!row) return NOTHING;
  // Read after the lock: a concurrent recording of the same id has committed by now.
  const [before] = await tx.$queryRawUnsafe<{ id: string; profileId: string | null; rung: number }[]>(
    `SELECT id, "profileId", rung FROM "Event" WHERE "workspaceId" = $1::uuid AND "clientId" = $2`,
    workspace.id,
    input.id,
  );
  if (before) return { eventId: before.id, profileId: before.profileId, rung: before.rung, duplicate: true };
  if (row.optedOutAt || row.suppressed) return NOTHING;
  if (row.untracked && isTrackingEvent(input.source, input.type)) return NOTHING;

  const counts = await tx.$queryRawUnsafe<{ type: IdentifierType; n: number }[]>(
    `SELECT type, count(*)::int AS n FROM "Identifier" WHERE "workspaceId" = $1::uuid AND "profileId" = $2::uuid GROUP BY 1`,
    workspace.id,
    row.id,
  );
  const state = new IdentityState();
  const profile = profileFromRow(row);
  for (const c of counts) profile.holds[c.type] = c.n;
  state.profiles.set(profile.id, profile);

  const event: IngestEvent = {
    id: input.id,
    source: input.source,
    type: input.type,
    occurredAt: input.occurredAt,
    identity: {},
    channel: (input.channel ?? null) as IngestEvent["channel"],
    direction: null,
    properties: input.properties ?? {},
    campaign: input.campaign ?? null,
  };
  const prepared = prepareEvent(event, 0, identityContext(workspace));
  const rung = state.applyEvent(profile, { ...prepared, id: prepared.eventId });
  const inserted = await writeBatch(tx, workspace.id, state, [{ event: prepared, profile, rung }]);
  if (!inserted.has(prepared.clientId)) throw new RaceLost();
  return { eventId: prepared.eventId, profileId: profile.id, rung, duplicate: false };
}

/** The same in a transaction of its own. */
export function recordProfileEvent(
  db: Db,
  workspace: IngestWorkspace,
  profileId: string,
  input: ProfileEventInput,
): Promise<RecordedProfileEvent> {
  return inRecordingTransaction(db, (tx) => recordProfileEventTx(tx, workspace, profileId, input));
}

/** The event id was stored by another transaction between our read and our insert: roll back, read again. */
class RaceLost extends Error {
  constructor() {
    super("The event was stored concurrently.");
    this.name = "RaceLost";
  }
}

/**
 * Runs `fn` in one transaction, again (up to five times) when a concurrent recording of the same event id won
 * the race or the database broke a deadlock with a merge: callers put their own rows in the same transaction.
 */
export function inRecordingTransaction<T>(db: Db, fn: (tx: Sql) => Promise<T>): Promise<T> {
  return withRetry(() => sqlTransaction(db, fn), { attempts: 5, also: (e) => e instanceof RaceLost });
}

/**
 * The live profile an id stands for (merged-away ids answer their survivor, R6), locked FOR UPDATE as the
 * other writers of people lock them (lib/identity/lock-profiles.ts). Null for an unknown or erased id. A survivor
 * merged while we waited for its lock is not followed under that stale lock: the transaction runs again.
 */
async function lockLiveProfile(tx: Sql, workspaceId: string, id: string): Promise<ProfileRow | null> {
  const live = await resolveProfileId(tx, workspaceId, id);
  if (!live) return null;
  const [row]: ProfileRow[] = await tx.$queryRawUnsafe<ProfileRow[]>(
    `SELECT p.id, p."createdAt", p.rung, p."customerNumber", p."displayName", p."emailEnc", p."phoneEnc",
       p."firstTouch", p."lastTouch", p."firstSeenAt", p."lastSeenAt", p."visitCount", p."lastWebAt", p."eventCount",
       p."mergedIntoId", p."optedOutAt",
       EXISTS (SELECT 1 FROM "Identifier" i JOIN "Suppression" s ON s."workspaceId" = i."workspaceId"
                 AND s.type = i.type AND s.hash = i.hash AND s.scope = 'all'
               WHERE i."workspaceId" = $1::uuid AND i."profileId" = p.id) AS suppressed,
       EXISTS (SELECT 1 FROM "Identifier" i JOIN "Suppression" s ON s."workspaceId" = i."workspaceId"
                 AND s.type = i.type AND s.hash = i.hash AND s.scope = 'tracking'
               WHERE i."workspaceId" = $1::uuid AND i."profileId" = p.id) AS untracked
     FROM "Profile" p WHERE p."workspaceId" = $1::uuid AND p.id = $2::uuid FOR UPDATE OF p`,
    workspaceId,
    live,
  );
  if (row?.mergedIntoId) throw new TryAgain("The profile was merged while waiting for its lock.");
  return row ?? null;
}
