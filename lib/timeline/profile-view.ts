import { decryptOrNull } from "../crypto/keys.ts";
import type { Sql } from "../db/raw-sql.ts";
import type { Touch } from "../identity/attribution.ts";
import { hashGivenIdentifier, type IdentityContext } from "../identity/prepare-identity.ts";
import { type IdentifierType, priorityOf } from "../identity/types.ts";
import { optOutsOf } from "../privacy/channel-opt-outs.ts";

/**
 * Answers about a person: never stored by a cache on the way (personal data), never transformed (gzip of a
 * few KiB costs a latency-sensitive caller more than it saves).
 */
export const NO_STORE = { "Cache-Control": "no-store, no-transform" };

/** The profile as API.md shows it. */
export interface ProfileView {
  id: string;
  rung: number;
  customerNumber: number | null;
  displayName: string | null;
  identifiers: { type: IdentifierType; value: string }[];
  firstSeenAt: string;
  lastSeenAt: string;
  optedOut: boolean;
  /**
   * The channels the business may not send this person (P7), one entry per opt-out: SMS STOP (`sms`/`whatsapp`),
   * an unsubscribe link (`email`, scope `email:marketing`), a full opt-out (scope `all`). Oldest first.
   */
  channelOptOuts: { channel: string; scope: string; reason: string; since: string }[];
  attribution: { first: Touch | null; last: Touch | null };
}

export interface ThreadMessage {
  id: string;
  channel: string;
  direction: string;
  body: string | null;
  agent: string | null;
  status: string | null;
  occurredAt: string;
}

export interface ProfileViewRow {
  id: string;
  rung: number;
  customerNumber: number | null;
  displayName: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  optedOutAt: Date | null;
  firstTouch: Touch | null;
  lastTouch: Touch | null;
  identifiers: { type: IdentifierType; valueEnc: string | null; masked: string | null; createdAt: string }[];
  suppressions: { type: string; scope: string; reason: string; createdAt: string }[];
  thread?: {
    id: string;
    channel: string;
    direction: string;
    bodyEnc: string | null;
    agent: string | null;
    status: string | null;
    occurredAt: string;
  }[];
}

/** The columns of a ProfileView, for a query over `"Profile" p` (also the workspace export's pages). */
export const PROFILE_SELECT = `p.id, p.rung, p."customerNumber", p."displayName", p."firstSeenAt", p."lastSeenAt", p."optedOutAt",
  p."firstTouch", p."lastTouch",
  (SELECT coalesce(json_agg(json_build_object('type', i.type, 'valueEnc', i."valueEnc", 'masked', i.masked,
     'createdAt', i."createdAt") ORDER BY i."createdAt", i.id), '[]'::json)
   FROM "Identifier" i WHERE i."profileId" = p.id) AS identifiers,
  (SELECT coalesce(json_agg(json_build_object('type', s.type, 'scope', s.scope, 'reason', s.reason,
     'createdAt', s."createdAt") ORDER BY s."createdAt", s.id), '[]'::json)
   FROM "Identifier" i JOIN "Suppression" s ON s."workspaceId" = i."workspaceId" AND s.type = i.type AND s.hash = i.hash
   WHERE i."profileId" = p.id AND i.type IN ('email', 'phone')) AS suppressions`;

export function toView(r: ProfileViewRow): ProfileView {
  const identifiers = [...r.identifiers]
    .sort((a, b) => priorityOf(a.type) - priorityOf(b.type) || a.createdAt.localeCompare(b.createdAt))
    .map((i) => ({ type: i.type, value: decryptOrNull(i.valueEnc) ?? i.masked ?? "" }));
  return {
    id: r.id,
    rung: r.rung,
    customerNumber: r.rung >= 4 ? r.customerNumber : null,
    displayName: r.displayName,
    identifiers,
    firstSeenAt: r.firstSeenAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    optedOut: r.optedOutAt !== null,
    channelOptOuts: optOutsOf((r.suppressions ?? []).map((x) => ({ ...x, createdAt: new Date(x.createdAt) }))).map(
      (o) => ({ channel: o.channel, scope: o.scope, reason: o.reason, since: o.since.toISOString() }),
    ),
    attribution: { first: r.firstTouch ?? null, last: r.lastTouch ?? null },
  };
}

/** One live profile of the workspace in the API's shape (resolve merged ids first), or null. */
export async function getProfileView(db: Sql, workspaceId: string, profileId: string): Promise<ProfileView | null> {
  const [row] = await db.$queryRawUnsafe<ProfileViewRow[]>(
    `SELECT ${PROFILE_SELECT} FROM "Profile" p WHERE p.id = $1::uuid AND p."workspaceId" = $2::uuid`,
    profileId,
    workspaceId,
  );
  return row ? toView(row) : null;
}

/**
 * "Recognise them instantly" (GET /api/v1/profiles?phone=…): the person holding an identifier and their last
 * 20 conversation messages oldest first, in ONE query — an index probe on the identifier's keyed hash, the
 * profile by primary key, the newest messages by (profileId, occurredAt). Identifiers always point at the
 * live person (merges move them), so no forwarding is needed. Null when nobody holds it.
 */
export async function lookupProfile(
  db: Sql,
  workspaceId: string,
  ctx: IdentityContext,
  type: IdentifierType,
  value: string,
): Promise<{ profile: ProfileView; thread: ThreadMessage[] } | null> {
  const given = hashGivenIdentifier(type, value, ctx);
  if (!given) return null;
  const [row] = await db.$queryRawUnsafe<ProfileViewRow[]>(
    `SELECT ${PROFILE_SELECT},
       (SELECT coalesce(json_agg(m ORDER BY m."occurredAt", m.id), '[]'::json) FROM (
          SELECT m.id, c.channel, m.direction, m."bodyEnc", m.agent, m.status, m."occurredAt"
          FROM "Message" m JOIN "Conversation" c ON c.id = m."conversationId"
          WHERE m."profileId" = p.id ORDER BY m."occurredAt" DESC, m.id DESC LIMIT 20) m) AS thread
     FROM "Identifier" x JOIN "Profile" p ON p.id = x."profileId"
     WHERE x."workspaceId" = $1::uuid AND x.type = $2::"IdentifierType" AND x.hash = $3`,
    workspaceId,
    type,
    given.hash,
  );
  if (!row) return null;
  return {
    profile: toView(row),
    thread: (row.thread ?? []).map((m) => ({
      id: m.id,
      channel: m.channel,
      direction: m.direction,
      body: decryptOrNull(m.bodyEnc),
      agent: m.agent,
      status: m.status,
      occurredAt: new Date(m.occurredAt).toISOString(),
    })),
  };
}
