import type { Db, Tx } from "../db/client.ts";
import { PRISMA_TX } from "../db/raw-sql.ts";
import { withRetry } from "../db/retry.ts";
import { uuidv7 } from "../db/uuidv7.ts";
import { notFound } from "../errors.ts";
import { lockLiveProfiles } from "../identity/lock-profiles.ts";
import { IDENTIFIER_TYPES, type IdentifierType } from "../identity/types.ts";
import { CONSENT_WITHDRAWN } from "./consent-records.ts";
import { GPC_REASON } from "./global-privacy-control.ts";
import { dueDate, type PrivacyRequestVia } from "./record-privacy-request.ts";
import { NO_SEND_BACK_SCOPES } from "./send-back.ts";

/** What a person can opt out of (API.md "Opt-out and privacy requests"; decision 014). */
export const OPT_OUT_CHANNELS = ["email", "sms", "whatsapp", "tracking", "all"] as const;
export type OptOutChannel = (typeof OPT_OUT_CHANNELS)[number];

/** An unsubscribe link's narrower opt-out: one purpose of email (lib/emails/unsubscribe.ts). */
export type EmailPurpose = "marketing" | "transactional";

/**
 * The identifier types a channel's suppression is written over. A send channel reaches the person through one
 * kind of address; tracking and everything follow the person by any identifier, devices included (R18).
 */
const COVERED: Record<OptOutChannel, readonly IdentifierType[]> = {
  email: ["email"],
  sms: ["phone"],
  whatsapp: ["phone"],
  tracking: IDENTIFIER_TYPES,
  all: IDENTIFIER_TYPES,
};

/** The Suppression reason each way in writes; the person's page and the preferences page show it. */
export const REASON_OF_VIA: Record<PrivacyRequestVia, string> = {
  preferences: "preferences",
  unsubscribe: "unsubscribe_link",
  sms: "twilio_stop",
  api: "api",
  owner: "owner",
};

/** A mailbox provider's spam report (lib/integrations/resend/email-status.ts): only the person may lift it. */
const COMPLAINT = "complaint";

type Key = { type: IdentifierType; hash: string };

/** One scope written over identifiers of some types (a channel, or `email:<purpose>`). */
interface ScopeWrite {
  scope: string;
  types: readonly IdentifierType[];
}

export interface OptOutDetail {
  since: Date;
  reason: string;
}

export interface OptOutState {
  /** The channels opted out as a whole (an email purpose alone does not list `email`). */
  optedOut: OptOutChannel[];
  /** When and how each of those began: the earliest suppression that stands for it. */
  channels: Partial<Record<OptOutChannel, OptOutDetail>>;
  /** The unsubscribe links' narrower opt-outs of one purpose of email. */
  emailPurposes: Partial<Record<EmailPurpose, OptOutDetail>>;
}

export interface OptOutResult {
  optedOut: OptOutChannel[];
  /** The privacy request logged (P12), or null when nothing new was opted out (idempotent repeat). */
  requestId: string | null;
}

const scopesOf = (channels: readonly OptOutChannel[]): ScopeWrite[] =>
  [...new Set(channels)].map((c) => ({ scope: c, types: COVERED[c] }));

/** Every identifier the live profile holds. */
async function identifiersOf(db: Db | Tx, workspaceId: string, profileId: string): Promise<Key[]> {
  return db.identifier.findMany({ where: { workspaceId, profileId }, select: { type: true, hash: true } });
}

function uniqueKeys(keys: readonly Key[]): Key[] {
  const seen = new Map<string, Key>();
  for (const k of keys) seen.set(`${k.type}:${k.hash}`, k);
  return [...seen.values()];
}

/** The person's suppressions over these identifiers, oldest first. */
async function suppressionsOver(db: Db | Tx, workspaceId: string, keys: readonly Key[], scopes?: readonly string[]) {
  if (!keys.length) return [];
  return db.suppression.findMany({
    where: {
      workspaceId,
      OR: keys.map((k) => ({ type: k.type, hash: k.hash })),
      ...(scopes ? { scope: { in: [...scopes] } } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, type: true, hash: true, scope: true, reason: true, createdAt: true },
  });
}

export interface OptOutWrite {
  workspaceId: string;
  /** The live profile, locked by the caller's transaction; null when the request names no known person. */
  profileId: string | null;
  /** Identifiers the request itself names besides the profile's (the address a mail went to, a number's STOP). */
  extra?: readonly Key[];
  scopes: readonly ScopeWrite[];
  via: PrivacyRequestVia;
  /** What the request log says was asked (`sms`, `email:marketing`…). */
  asked: readonly string[];
}

/**
 * The one writer of opt-outs (P7, R18), inside the caller's transaction: a Suppression (hashes only) per scope
 * over every identifier of the person of the covered types, an `all` opt-out also marks the profile
 * (`optedOutAt`, read by sends and merges), and — when something was not opted out before — one privacy
 * request of kind `opt_out`, done at once (P12). Running it again writes nothing new: an identifier the person
 * gained since is covered silently, and no second request is logged.
 */
export async function writeOptOut(tx: Tx, w: OptOutWrite): Promise<string | null> {
  const { workspaceId, profileId } = w;
  const keys = uniqueKeys([...(profileId ? await identifiersOf(tx, workspaceId, profileId) : []), ...(w.extra ?? [])]);
  // A device's consent withdrawal is the banner's (P4), not an opt-out of the person.
  const standing = (
    await suppressionsOver(
      tx,
      workspaceId,
      keys,
      w.scopes.map((s) => s.scope),
    )
  ).filter((s) => s.reason !== CONSENT_WITHDRAWN);
  const reason = REASON_OF_VIA[w.via];
  const rows = w.scopes.flatMap((s) =>
    keys
      .filter((k) => s.types.includes(k.type))
      .map((k) => ({ id: uuidv7(), workspaceId, type: k.type, hash: k.hash, scope: s.scope, reason })),
  );
  if (rows.length) await tx.suppression.createMany({ data: rows, skipDuplicates: true });
  const now = new Date();
  // P5, P7: conversions of theirs still waiting for Meta or Google are never sent (decision 021).
  if (profileId && w.scopes.some((s) => NO_SEND_BACK_SCOPES.includes(s.scope)))
    await tx.outbox.updateMany({
      where: { workspaceId, profileId, status: "pending" },
      data: { status: "cancelled", lastError: "not sent: opted out", finishedAt: now },
    });
  let marked = 0;
  if (profileId && w.scopes.some((s) => s.scope === "all")) {
    marked = (
      await tx.profile.updateMany({
        where: { workspaceId, id: profileId, optedOutAt: null },
        data: { optedOutAt: now },
      })
    ).count;
  }
  // New for the person: a scope none of their identifiers stood under before (or the profile mark just set).
  const before = new Set(standing.map((s) => s.scope));
  const fresh = w.scopes.some((s) => !before.has(s.scope)) || marked > 0;
  if (!fresh) return null;
  const request = await tx.privacyRequest.create({
    data: {
      id: uuidv7(),
      workspaceId,
      profileId,
      kind: "opt_out",
      via: w.via,
      channels: [...w.asked],
      status: "done",
      receivedAt: now,
      dueAt: dueDate(now),
      completedAt: now,
    },
    select: { id: true },
  });
  return request.id;
}

/** Runs `fn` with the live profile `profileId` stands for locked (R8 order), again after a lost race; 404 if none. */
export function withLockedProfile<T>(
  db: Db,
  workspaceId: string,
  profileId: string,
  fn: (tx: Tx, live: string) => Promise<T>,
): Promise<T> {
  return withRetry(() =>
    db.$transaction(async (tx) => {
      const [live] = (await lockLiveProfiles(tx, workspaceId, [profileId])) ?? [];
      if (!live) throw notFound("No such profile in this workspace.");
      return fn(tx, live.id);
    }, PRISMA_TX),
  );
}

/**
 * `POST /api/v1/profiles/{id}/opt-out` and every other way in (the preferences page, an unsubscribe link, SMS
 * STOP, the owner): the person is opted out of these channels on every identifier they hold, effective for the
 * next event and send on every app instance (nothing on those paths is cached, decision 014). `tracking`: their
 * later web, pixel and ad events are stored without any identifier or profile; `all`: their later events are
 * dropped and every send refused. Idempotent. A merged-away id acts on the survivor; an unknown one is a 404.
 */
export async function optOut(
  db: Db,
  workspaceId: string,
  profileId: string,
  channels: OptOutChannel[],
  via: PrivacyRequestVia,
): Promise<OptOutResult> {
  return withLockedProfile(db, workspaceId, profileId, async (tx, live) => {
    const requestId = await writeOptOut(tx, {
      workspaceId,
      profileId: live,
      scopes: scopesOf(channels),
      via,
      asked: [...new Set(channels)],
    });
    return { optedOut: (await optOutState(tx, workspaceId, live)).optedOut, requestId };
  });
}

/** The scopes an opt-in of a channel lifts: email lifts its purposes too; everything lifts every opt-out. */
function liftedBy(channels: readonly OptOutChannel[]): string[] | null {
  if (channels.includes("all")) return null;
  return [
    ...new Set(channels.flatMap((c) => (c === "email" ? ["email", "email:marketing", "email:transactional"] : [c]))),
  ];
}

/**
 * `POST /api/v1/profiles/{id}/opt-in`: undoes opt-outs of these channels over every identifier of the person
 * (`email` also lifts unsubscribe links' purposes; `all` lifts every opt-out and the profile's mark). Never
 * lifted here: a device's consent withdrawal (only the site's banner undoes that, consent-records.ts), a
 * browser's GPC (send-back), and a spam complaint unless the person asks themself (`preferences`, or `sms`).
 * Nothing is logged as a privacy request: an opt-in is no data-subject request. Idempotent; 404 as optOut.
 */
export async function optIn(
  db: Db,
  workspaceId: string,
  profileId: string,
  channels: OptOutChannel[],
  via: PrivacyRequestVia,
): Promise<{ optedOut: OptOutChannel[] }> {
  return withLockedProfile(db, workspaceId, profileId, async (tx, live) => {
    await liftOptOut(tx, { workspaceId, profileId: live, scopes: liftedBy(channels), via });
    return { optedOut: (await optOutState(tx, workspaceId, live)).optedOut };
  });
}

/** Removes suppressions (`scopes`, or every one for null) over the person's and the named identifiers. */
export async function liftOptOut(
  tx: Tx,
  o: {
    workspaceId: string;
    profileId: string | null;
    extra?: readonly Key[];
    scopes: readonly string[] | null;
    via: PrivacyRequestVia;
  },
) {
  const keys = uniqueKeys([
    ...(o.profileId ? await identifiersOf(tx, o.workspaceId, o.profileId) : []),
    ...(o.extra ?? []),
  ]);
  // The banner's withdrawal and the browser's GPC are signals of their own, never lifted by an opt-in.
  const byPerson = o.via === "preferences" || o.via === "sms";
  const kept = byPerson ? [CONSENT_WITHDRAWN, GPC_REASON] : [CONSENT_WITHDRAWN, GPC_REASON, COMPLAINT];
  if (keys.length)
    await tx.suppression.deleteMany({
      where: {
        workspaceId: o.workspaceId,
        OR: keys.map((k) => ({ type: k.type, hash: k.hash })),
        reason: { notIn: kept },
        ...(o.scopes ? { scope: { in: [...o.scopes] } } : {}),
      },
    });
  if (o.profileId && (o.scopes === null || o.scopes.includes("all")))
    await tx.profile.updateMany({
      where: { workspaceId: o.workspaceId, id: o.profileId, optedOutAt: { not: null } },
      data: { optedOutAt: null },
    });
}

/**
 * Where the person stands (P7, P9): each channel opted out as a whole, since when and why, and the unsubscribe
 * links' purposes. Read from the one suppression list over the identifiers they hold now; a device's consent
 * withdrawal is the banner's (P4) and is no opt-out of the person. `profileId` must be live.
 */
export async function optOutState(db: Db | Tx, workspaceId: string, profileId: string): Promise<OptOutState> {
  const [profile, keys] = await Promise.all([
    db.profile.findFirst({ where: { workspaceId, id: profileId }, select: { optedOutAt: true } }),
    identifiersOf(db, workspaceId, profileId),
  ]);
  const rows = (await suppressionsOver(db, workspaceId, keys)).filter((r) => r.reason !== CONSENT_WITHDRAWN);
  const channels: OptOutState["channels"] = {};
  const emailPurposes: OptOutState["emailPurposes"] = {};
  for (const r of rows) {
    const detail = { since: r.createdAt, reason: r.reason };
    if (r.scope === "email:marketing" || r.scope === "email:transactional") {
      emailPurposes[r.scope.slice(6) as EmailPurpose] ??= detail;
      continue;
    }
    const channel = OPT_OUT_CHANNELS.find((c) => c === r.scope);
    if (channel && COVERED[channel].includes(r.type)) channels[channel] ??= detail;
  }
  if (profile?.optedOutAt && !channels.all) channels.all = { since: profile.optedOutAt, reason: "opted_out" };
  return { optedOut: OPT_OUT_CHANNELS.filter((c) => channels[c]), channels, emailPurposes };
}
