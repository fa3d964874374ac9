import type { Db, Tx } from "../db/client.ts";
import type { IdentifierType } from "../identity/types.ts";
import { CONSENT_COUNTRIES } from "./consent-region.ts";

/** The suppression scopes that forbid sending a conversion back to an ad network (decision 014). */
export const NO_SEND_BACK_SCOPES = ["sendback", "tracking", "all"];

/**
 * P5, P7: whether a conversion of this person may be sent back to Google or Meta. Never when their browser
 * sent Global Privacy Control (the profile's `gpcAt`, and scope `sendback` over their identifiers), when they
 * opted out of tracking or of everything, or when any identifier the conversion itself carries is on the list
 * (a payment webhook's email of someone not yet joined to the profile). Read from the database on every call,
 * like every opt-out: no instance holds a stale answer.
 */
export async function maySendBack(
  db: Db | Tx,
  workspaceId: string,
  profileId: string | null,
  carried: readonly { type: IdentifierType; hash: string }[] = [],
): Promise<boolean> {
  const [profile, own] = profileId
    ? await Promise.all([
        db.profile.findFirst({ where: { workspaceId, id: profileId }, select: { gpcAt: true, optedOutAt: true } }),
        db.identifier.findMany({ where: { workspaceId, profileId }, select: { type: true, hash: true } }),
      ])
    : [null, []];
  if (profile?.gpcAt || profile?.optedOutAt) return false;
  const keys = [...own, ...carried];
  if (!keys.length) return true;
  const listed = await db.suppression.count({
    where: { workspaceId, scope: { in: NO_SEND_BACK_SCOPES }, OR: keys.map((k) => ({ type: k.type, hash: k.hash })) },
  });
  return listed === 0;
}

/** What the batched check reads of one person (sendBackRefusals). */
interface SendBackFacts {
  id: string;
  gpc: boolean;
  optedOut: boolean;
  listed: boolean;
  choice: string | null;
  regime: boolean;
}

/**
 * The same rules as maySendBack, for many people in one statement (the send-back outbox checks every row of a
 * batch again right before sending, decision 021), plus consent as P8 reads it (email-tracking-consent.ts):
 * the latest banner choice decides (`denied` never); without one, someone in the consent regime (a consent
 * record from a consent country, a phone number of one, an EU-region workspace or one whose default country is
 * in it) is not sent. `phoneCountries` are the countries of each person's phones (the caller decrypts them).
 * Answers why not, per profile id; a profile not found (erased) is refused too.
 */
export async function sendBackRefusals(
  db: Db | Tx,
  workspaceId: string,
  profileIds: readonly string[],
  phoneCountries: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!profileIds.length) return out;
  const rows = await db.$queryRawUnsafe<SendBackFacts[]>(
    `SELECT p.id, p."gpcAt" IS NOT NULL AS gpc, p."optedOutAt" IS NOT NULL AS "optedOut",
       EXISTS (SELECT 1 FROM "Identifier" i JOIN "Suppression" s ON s."workspaceId" = i."workspaceId"
                 AND s.type = i.type AND s.hash = i.hash AND s.scope = ANY($3::text[])
               WHERE i."workspaceId" = $1::uuid AND i."profileId" = p.id) AS listed,
       (SELECT r.choice FROM "ConsentRecord" r WHERE r."workspaceId" = $1::uuid AND r."profileId" = p.id
        ORDER BY r."createdAt" DESC, r.id DESC LIMIT 1) AS choice,
       (w.region = 'eu' OR w."defaultCountry" = ANY($4::text[]) OR EXISTS (
          SELECT 1 FROM "ConsentRecord" r WHERE r."workspaceId" = $1::uuid AND r."profileId" = p.id
            AND upper(r.country) = ANY($4::text[]))) AS regime
     FROM "Profile" p JOIN "Workspace" w ON w.id = p."workspaceId"
     WHERE p."workspaceId" = $1::uuid AND p.id = ANY($2::uuid[])`,
    workspaceId,
    [...new Set(profileIds)],
    NO_SEND_BACK_SCOPES,
    [...CONSENT_COUNTRIES],
  );
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const id of profileIds) {
    const r = found.get(id);
    const phoneRegime = (phoneCountries.get(id) ?? []).some((c) => CONSENT_COUNTRIES.has(c.toUpperCase()));
    const why = !r
      ? "the person was erased"
      : r.gpc
        ? "Global Privacy Control"
        : r.optedOut || r.listed
          ? "opted out"
          : r.choice === "denied"
            ? "refused tracking"
            : r.choice !== "granted" && (r.regime || phoneRegime)
              ? "in the consent regime without consent"
              : null;
    if (why) out.set(id, `not sent: ${why}`);
  }
  return out;
}
