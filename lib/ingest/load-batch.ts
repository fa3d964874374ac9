import type { Tx } from "../db/client.ts";
import type { Touch } from "../identity/attribution.ts";
import { emptyHoldings, IdentityState, type ProfileState } from "../identity/identity-state.ts";
import { type IdentifierType, identifierKey } from "../identity/types.ts";
import { suppressedKeys } from "../privacy/suppression.ts";
import type { PreparedEvent } from "./prepare-events.ts";

export interface LoadedBatch {
  state: IdentityState;
  /** Events already stored under these client ids (idempotency). */
  existing: Map<string, { profileId: string | null; rung: number }>;
  suppressed: Set<string>;
  /** `ot_c` click id → the profile of its tracked link (R14). */
  linkProfiles: Map<string, string>;
}

interface ProfileRow {
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
}

const PROFILE_COLUMNS = `id, "createdAt", rung, "customerNumber", "displayName", "emailEnc", "phoneEnc", "firstTouch", "lastTouch",
  "firstSeenAt", "lastSeenAt", "visitCount", "lastWebAt", "eventCount", "mergedIntoId"`;

/** A transaction-scoped advisory lock key for an identifier: the first 64 bits of its workspace-keyed hash. */
export const lockKeyOf = (hash: string) => BigInt.asIntN(64, BigInt(`0x${hash.slice(0, 16).padEnd(16, "0")}`));

/**
 * Everything the batch needs, read under locks (R8): first an advisory lock per identifier of the batch in
 * sorted order, so concurrent requests carrying the same new identifier queue instead of creating two
 * profiles; then row locks on every profile involved, in id order; then a fresh read. A profile that changed
 * hands while we waited (merged, split) pulls its successor into the locked set and the read is repeated.
 */
export async function loadBatch(tx: Tx, workspaceId: string, events: PreparedEvent[]): Promise<LoadedBatch> {
  const byKey = new Map<string, { type: IdentifierType; hash: string }>();
  for (const e of events) for (const id of e.identifiers) byKey.set(id.key, { type: id.type, hash: id.hash });
  const types = [...new Set([...byKey.values()].map((i) => i.type))];
  const hashes = [...byKey.values()].map((i) => i.hash);
  const clientIds = events.map((e) => e.clientId);
  const clickIds = [...new Set(events.map((e) => e.linkClickId).filter((c): c is string => !!c))];

  const suppressed = await suppressedKeys(tx, workspaceId, [...byKey.values()]);
  const lockKeys = [...new Set(hashes.map(lockKeyOf))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (lockKeys.length) {
    await tx.$queryRawUnsafe(
      `SELECT count(pg_advisory_xact_lock(k))::int AS n FROM unnest($1::bigint[]) AS k`,
      lockKeys.map(String),
    );
  }

  const locked = new Map<string, ProfileRow>();
  let read: ReadRow | undefined;
  let extra: string[] = [];
  for (let round = 0; ; round++) {
    if (round > 20) throw new Error("Profiles kept changing hands while the batch waited for them.");
    const rows =
      round === 0
        ? await tx.$queryRawUnsafe<ProfileRow[]>(
            `SELECT ${PROFILE_COLUMNS} FROM "Profile" WHERE "workspaceId" = $1::uuid AND id IN (
               SELECT "profileId" FROM "Identifier"
               WHERE "workspaceId" = $1::uuid AND type::text = ANY($2::text[]) AND hash = ANY($3::text[])
               UNION SELECT "profileId" FROM "LinkClick"
               WHERE "workspaceId" = $1::uuid AND "clickId" = ANY($4::text[]) AND "profileId" IS NOT NULL
             ) ORDER BY id FOR UPDATE`,
            workspaceId,
            types,
            hashes,
            clickIds,
          )
        : await tx.$queryRawUnsafe<ProfileRow[]>(
            `SELECT ${PROFILE_COLUMNS} FROM "Profile" WHERE "workspaceId" = $1::uuid AND id = ANY($2::uuid[])
             ORDER BY id FOR UPDATE`,
            workspaceId,
            extra,
          );
    for (const r of rows) locked.set(r.id, r);
    [read] = await tx.$queryRawUnsafe<ReadRow[]>(
      `SELECT
         (SELECT coalesce(json_agg(json_build_object('id', id, 'type', type, 'hash', hash, 'profileId', "profileId",
                   'shared', shared, 'lastSeenAt', "lastSeenAt")), '[]'::json)
          FROM "Identifier" WHERE "workspaceId" = $1::uuid AND type::text = ANY($2::text[]) AND hash = ANY($3::text[])) AS identifiers,
         (SELECT coalesce(json_agg(c), '[]'::json) FROM (
            SELECT "profileId", type, count(*)::int AS n, array_agg(hash) FILTER (WHERE type = 'account') AS accounts
            FROM "Identifier" WHERE "profileId" = ANY($5::uuid[]) GROUP BY 1, 2) c) AS counts,
         (SELECT coalesce(json_agg(json_build_object('clientId', "clientId", 'profileId', "profileId", 'rung', rung)), '[]'::json)
          FROM "Event" WHERE "workspaceId" = $1::uuid AND "clientId" = ANY($4::text[])) AS existing,
         (SELECT coalesce(json_agg(json_build_object('clickId', "clickId", 'profileId', "profileId")), '[]'::json)
          FROM "LinkClick" WHERE "workspaceId" = $1::uuid AND "clickId" = ANY($6::text[]) AND "profileId" IS NOT NULL) AS links`,
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
    extra = [...wanted].filter((id) => !locked.has(id));
    if (!extra.length) break;
  }

  const state = new IdentityState();
  for (const r of locked.values()) state.profiles.set(r.id, profileFromRow(r));
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
    suppressed,
    linkProfiles: new Map(read.links.map((l) => [l.clickId, l.profileId])),
  };
}

function profileFromRow(r: ProfileRow): ProfileState {
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
    reached: [],
    numberOrder: null,
  };
}
