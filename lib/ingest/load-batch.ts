import { preparedStatement, type Sql, type TransactionSettings } from "../db/raw-sql.ts";
import type { Touch } from "../identity/attribution.ts";
import { emptyHoldings, IdentityState, type ProfileState } from "../identity/identity-state.ts";
import { type IdentifierType, identifierKey } from "../identity/types.ts";
import { suppressedKeysSql } from "../privacy/suppression.ts";
import type { PreparedEvent } from "./prepare-events.ts";

export interface LoadedBatch {
  state: IdentityState;
  /** Events already stored under these client ids (idempotency). */
  existing: Map<string, { profileId: string | null; rung: number }>;
  /** Identifier keys suppressed for everything: events carrying one are dropped (R18). */
  suppressed: Set<string>;
  /** Keys opted out of tracking: a tracking event carrying one is stored stripped of identity (decision 014). */
  untracked: Set<string>;
  /** `ot_c` click id → the profile of its tracked link (R14). */
  linkProfiles: Map<string, string>;
}

export interface ProfileRow {
  id: string;
  createdAt: Date;
  rung: number;
  customerNumber: number | null;
  displayName: string | null;
  emailEnc: string | null;
  phoneEnc: string | null;
  firstTouch: Touch | null;
  lastTouch: Touch | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  visitCount: number;
  lastWebAt: Date | null;
  eventCount: number;
  mergedIntoId: string | null;
}

interface ReadRow {
  identifiers: {
    id: string;
    type: IdentifierType;
    hash: string;
    profileId: string;
    shared: boolean;
    lastSeenAt: string;
  }[];
  counts: { profileId: string; type: IdentifierType; n: number; accounts: string[] | null }[];
  existing: { clientId: string; profileId: string | null; rung: number }[];
  links: { clickId: string; profileId: string }[];
  threads: string[];
  suppressed: { key: string; scope: string }[];
}

const PROFILE_COLUMNS = `id, "createdAt", rung, "customerNumber", "displayName", "emailEnc", "phoneEnc", "firstTouch", "lastTouch",
  "firstSeenAt", "lastSeenAt", "visitCount", "lastWebAt", "eventCount", "mergedIntoId"`;

// Everything the batch's transaction reads or writes is a handful of rows found by key. A table that grew fast
// since its last ANALYZE can make the planner prefer scanning a whole workspace (a hash join over a bitmap scan
// of every row of the workspace); these settings, local to the transaction, keep every step an index probe.
// The transaction sets them with its BEGIN (lib/db/raw-sql.ts), so its first statement, the lock below, is
// planned with them too: set inside that statement they came too late for its own plan, which scanned every
// profile of the workspace on each batch (docs/decisions/007-ingest-on-real-traffic.md).
export const POINT_LOOKUPS_ONLY: TransactionSettings = {
  enable_seqscan: "off",
  enable_hashjoin: "off",
  enable_mergejoin: "off",
  enable_bitmapscan: "off",
};

// One unique-index probe per identifier and per click id ($1 workspace, $2/$3 types and hashes, $4 click ids).
// LIMIT 1 keeps each LATERAL a parameterised probe: otherwise the planner may flatten it into a join that scans
// all of a workspace's rows when the table's statistics are stale (a fast-growing table between analyses).
const IDENTIFIERS_OF_BATCH = `unnest($2::"IdentifierType"[], $3::text[]) AS k(type, hash)
  CROSS JOIN LATERAL (SELECT id, type, hash, "profileId", shared, "lastSeenAt" FROM "Identifier"
    WHERE "workspaceId" = $1::uuid AND type = k.type AND hash = k.hash LIMIT 1) i`;
// A click id is unique on its own: the probe names only it, and the workspace and profile are tested on the row
// it finds. With "workspaceId" = $1 inside, a generic plan could walk ("workspaceId", "profileId") instead.
const LINK_CLICKS_OF_BATCH = `unnest($4::text[]) AS c(id)
  CROSS JOIN LATERAL (SELECT "clickId", "profileId", "workspaceId" FROM "LinkClick" WHERE "clickId" = c.id LIMIT 1) l
  WHERE l."workspaceId" = $1::uuid AND l."profileId" IS NOT NULL`;

// One statement takes the identifier locks, then locks the profiles holding them ($5: the lock keys). Each
// profile is probed by its primary key alone (its ids come from this workspace's identifiers and clicks; the
// workspace is tested on the row): a generic plan of `id = o.id AND "workspaceId" = $1`, made while a workspace
// looked like one row, read every profile of the workspace through ("workspaceId", …) for each id (decision 024).
const LOCK_SQL = preparedStatement(
  `WITH locks AS MATERIALIZED (SELECT count(pg_advisory_xact_lock(k)) AS n FROM unnest($5::bigint[]) AS k),
     ids AS MATERIALIZED (
       SELECT i."profileId" AS id FROM ${IDENTIFIERS_OF_BATCH} UNION SELECT l."profileId" FROM ${LINK_CLICKS_OF_BATCH}
     )
     SELECT p.* FROM (SELECT id FROM ids WHERE (SELECT n FROM locks) >= 0 ORDER BY id) o
     CROSS JOIN LATERAL (SELECT ${PROFILE_COLUMNS}, "workspaceId" FROM "Profile" WHERE id = o.id LIMIT 1 FOR UPDATE) p
     WHERE p."workspaceId" = $1::uuid`,
);

// The fresh read under the locks: identifiers, counts, threads, stored client ids, link clicks, suppressions.
const READ_SQL = preparedStatement(
  `SELECT
         (SELECT coalesce(json_agg(json_build_object('id', i.id, 'type', i.type, 'hash', i.hash, 'profileId', i."profileId",
                   'shared', i.shared, 'lastSeenAt', i."lastSeenAt")), '[]'::json)
          FROM ${IDENTIFIERS_OF_BATCH}) AS identifiers,
         (SELECT coalesce(json_agg(c), '[]'::json) FROM (
            SELECT "profileId", type, count(*)::int AS n, array_agg(hash) FILTER (WHERE type = 'account') AS accounts
            FROM "Identifier" WHERE "profileId" = ANY($5::uuid[]) GROUP BY 1, 2) c) AS counts,
         (SELECT coalesce(json_agg(p.id), '[]'::json) FROM unnest($5::uuid[]) AS p(id)
          CROSS JOIN LATERAL (SELECT 1 FROM "Conversation" WHERE "profileId" = p.id LIMIT 1) c) AS threads,
         (SELECT coalesce(json_agg(json_build_object('clientId', e."clientId", 'profileId', e."profileId", 'rung', e.rung)), '[]'::json)
          FROM unnest($4::text[]) AS c(id)
          CROSS JOIN LATERAL (SELECT "clientId", "profileId", rung FROM "Event" WHERE "workspaceId" = $1::uuid AND "clientId" = c.id LIMIT 1) e) AS existing,
         (SELECT coalesce(json_agg(json_build_object('clickId', l."clickId", 'profileId', l."profileId")), '[]'::json)
          FROM ${LINK_CLICKS_OF_BATCH.replace("$4", "$6")}) AS links,
         (SELECT coalesce(json_agg(json_build_object('key', s.key, 'scope', s.scope)), '[]'::json)
          FROM (${suppressedKeysSql("$1", "$2", "$3")}) s) AS suppressed`,
);

/** A transaction-scoped advisory lock key for an identifier: the first 64 bits of its workspace-keyed hash. */
export const lockKeyOf = (hash: string) => BigInt.asIntN(64, BigInt(`0x${hash.slice(0, 16).padEnd(16, "0")}`));

/**
 * Everything the batch needs, read under locks (R8): first an advisory lock per identifier of the batch in
 * sorted order, so concurrent requests carrying the same new identifier queue instead of creating two
 * profiles; then row locks on every profile involved, in id order; then a fresh read of identifiers, counts,
 * stored client ids, link clicks and suppressions. A profile that changed hands while we waited (merged,
 * split) pulls its successor into the locked set and the read is repeated. Two round trips when uncontended.
 * Run it in a transaction with POINT_LOOKUPS_ONLY.
 */
export async function loadBatch(tx: Sql, workspaceId: string, events: PreparedEvent[]): Promise<LoadedBatch> {
  const byKey = new Map<string, { type: IdentifierType; hash: string }>();
  for (const e of events) for (const id of e.identifiers) byKey.set(id.key, { type: id.type, hash: id.hash });
  const types = [...byKey.values()].map((i) => i.type);
  const hashes = [...byKey.values()].map((i) => i.hash);
  const clientIds = events.map((e) => e.clientId);
  const clickIds = [...new Set(events.map((e) => e.linkClickId).filter((c): c is string => !!c))];
  const lockKeys = [...new Set(hashes.map(lockKeyOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(String);

  // One statement takes the identifier locks, then locks the profiles holding them. Its identifier read saw
  // the database as it was before the locks were granted: the fresh read below catches anything newer.
  const locked = new Map<string, ProfileRow>();
  const first = await tx.$queryRawUnsafe<ProfileRow[]>(LOCK_SQL, workspaceId, types, hashes, clickIds, lockKeys);
  for (const r of first) locked.set(r.id, r);

  let read: ReadRow | undefined;
  for (let round = 0; ; round++) {
    if (round > 20) throw new Error("Profiles kept changing hands while the batch waited for them.");
    [read] = await tx.$queryRawUnsafe<ReadRow[]>(
      READ_SQL,
      workspaceId,
      types,
      hashes,
      clientIds,
      [...locked.keys()],
      clickIds,
    );
    if (!read) throw new Error("The batch read returned nothing.");
    const wanted = new Set<string>();
    for (const i of read.identifiers) wanted.add(i.profileId);
    for (const l of read.links) wanted.add(l.profileId);
    for (const p of locked.values()) if (p.mergedIntoId) wanted.add(p.mergedIntoId);
    const missing = [...wanted].filter((id) => !locked.has(id));
    if (!missing.length) break;
    const more = await tx.$queryRawUnsafe<ProfileRow[]>(
      `SELECT ${PROFILE_COLUMNS} FROM "Profile" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
      workspaceId,
      missing,
    );
    for (const r of more) locked.set(r.id, r);
  }

  const state = new IdentityState();
  const threads = new Set(read.threads);
  for (const r of locked.values()) state.profiles.set(r.id, { ...profileFromRow(r), hasThreads: threads.has(r.id) });
  for (const c of read.counts) {
    const p = state.profiles.get(c.profileId);
    if (!p) continue;
    p.holds[c.type] = c.n;
    for (const h of c.accounts ?? []) p.accounts.add(h);
  }
  for (const i of read.identifiers) {
    const key = identifierKey(i.type, i.hash);
    state.identifiers.set(key, {
      key,
      type: i.type,
      hash: i.hash,
      id: i.id,
      owner: i.profileId,
      shared: i.shared,
      isNew: false,
      changed: false,
      lastSeenAt: Date.parse(i.lastSeenAt),
      value: null,
      firstEventId: null,
    });
  }
  return {
    state,
    existing: new Map(read.existing.map((e) => [e.clientId, { profileId: e.profileId, rung: e.rung }])),
    suppressed: new Set(read.suppressed.filter((s) => s.scope === "all").map((s) => s.key)),
    untracked: new Set(read.suppressed.filter((s) => s.scope !== "all").map((s) => s.key)),
    linkProfiles: new Map(read.links.map((l) => [l.clickId, l.profileId])),
  };
}

/** A locked profile row as the identity engine holds it while resolving a batch (nothing pending yet). */
export function profileFromRow(r: ProfileRow): ProfileState {
  return {
    id: r.id,
    isNew: false,
    createdAt: r.createdAt.getTime(),
    rung: r.rung,
    customerNumber: r.customerNumber,
    holds: emptyHoldings(),
    accounts: new Set(),
    visitCount: r.visitCount,
    lastWebAt: r.lastWebAt?.getTime() ?? null,
    firstSeenAt: r.firstSeenAt.getTime(),
    lastSeenAt: r.lastSeenAt.getTime(),
    firstTouch: r.firstTouch,
    lastTouch: r.lastTouch,
    eventCount: r.eventCount,
    emailEnc: r.emailEnc,
    phoneEnc: r.phoneEnc,
    displayName: r.displayName,
    pendingEmail: null,
    pendingPhone: null,
    mergedInto: r.mergedIntoId,
    mergedAt: null,
    touched: false,
    refresh: false,
    hasThreads: false,
    reached: [],
    numberOrder: null,
  };
}
