import { uuidv7 } from "../db/uuidv7.ts";
import type { IdentifierState, IdentityState, ProfileState } from "./identity-state.ts";
import { mergeInMemory, mergeRefusal } from "./merge-profiles.ts";
import type { PreparedIdentifier } from "./prepare-identity.ts";
import { IDENTIFIER_LIMITS } from "./types.ts";

export interface ResolveInput {
  eventId: string;
  occurredAt: Date;
  /** One per type at most, in priority order (account, email, phone, device). */
  identifiers: PreparedIdentifier[];
  /** R14: the profile of the tracked link this visit landed from (`ot_c`), if any. */
  linkProfileId: string | null;
  /**
   * False for an event from the public site key (docs/decisions/004-site-key-trust.md): it never merges two
   * profiles that each hold a strong identifier; such a merge is refused and recorded (R5d).
   */
  trusted: boolean;
}

const HOUR = 60 * 60 * 1000;

const isAnonymous = (p: ProfileState) => p.holds.account + p.holds.email + p.holds.phone === 0;

/** R5b: new strong identifiers may join `p` only where it holds none of that type yet. */
const canTake = (p: ProfileState, pending: PreparedIdentifier[]) =>
  pending.every((id) => id.type === "device" || p.holds[id.type] === 0);

function seen(ident: IdentifierState, t: number) {
  if (t > ident.lastSeenAt + HOUR) {
    ident.lastSeenAt = t;
    ident.changed = true;
  }
}

/** R7: the device now points at the profile most recently identified on it, and is marked shared (R5b). */
function share(state: IdentityState, ident: IdentifierState, home: ProfileState, eventId: string) {
  if (state.ownerOf(ident) === home) return;
  const previous = state.ownerOf(ident);
  previous.holds[ident.type]--;
  home.holds[ident.type]++;
  ident.owner = home.id;
  ident.shared = true;
  ident.changed = true;
  state.links.push({
    profileId: home.id,
    identifierId: ident.id,
    type: ident.type,
    hash: ident.hash,
    eventId,
    action: "shared",
    reason: null,
  });
}

function attach(state: IdentityState, home: ProfileState, id: PreparedIdentifier, eventId: string, t: number) {
  if (home.holds[id.type] >= IDENTIFIER_LIMITS[id.type]) {
    // R5c: over a per-profile limit the identifier is not attached; the refusal is recorded.
    state.links.push({
      profileId: home.id,
      identifierId: null,
      type: id.type,
      hash: id.hash,
      eventId,
      action: "refused",
      reason: `${id.type}_limit`,
    });
    return;
  }
  const ident: IdentifierState = {
    key: id.key,
    type: id.type,
    hash: id.hash,
    id: uuidv7(),
    owner: home.id,
    shared: false,
    isNew: true,
    changed: false,
    lastSeenAt: t,
    value: id.value,
    firstEventId: eventId,
  };
  state.identifiers.set(id.key, ident);
  home.holds[id.type]++;
  if (id.type === "account") home.accounts.add(id.hash);
  if (id.type === "email" && !home.emailEnc && !home.pendingEmail) home.pendingEmail = id.value;
  if (id.type === "phone" && !home.phoneEnc && !home.pendingPhone) home.pendingPhone = id.value;
  // Which event attached it is Identifier.firstEventId; the log keeps the decisions worth reading (shared, refused).
  home.touched = true;
}

/**
 * Resolution of one event (R4): finds the profile it belongs to, attaching its new identifiers within the
 * limits (R5c), merging the profiles it proves to be one person (R6, R13) unless R5 forbids it (R5a, R5d),
 * sharing a device between people instead of merging them through it (R5b, R7), and following a tracked
 * link to its person (R14). An untrusted event (the public site key) may attach new identifiers and join an
 * anonymous device's profile to a person, but merges no two identified people (`untrusted_source`, R5d).
 * Returns null for an event left with no identifier at all (R2).
 */
export function resolveIdentity(state: IdentityState, ev: ResolveInput): ProfileState | null {
  if (!ev.identifiers.length && !ev.linkProfileId) return null;
  const t = ev.occurredAt.getTime();
  let home: ProfileState | null = null;
  const pending: PreparedIdentifier[] = [];
  const refused: { id: PreparedIdentifier; other: ProfileState; reason: string }[] = [];
  let newAccount: string | undefined;
  let device: PreparedIdentifier | undefined;

  for (const id of ev.identifiers) {
    const known = state.identifiers.get(id.key);
    if (known) seen(known, t);
    if (id.type === "device") {
      device = id;
      continue;
    }
    if (!known) {
      pending.push(id);
      if (id.type === "account") newAccount = id.hash;
      continue;
    }
    const other = state.ownerOf(known);
    if (!home) {
      // R5a: a new account id never joins a profile that already holds another account.
      if (newAccount && other.accounts.size > 0) refused.push({ id, other, reason: "different_accounts" });
      else home = other;
    } else if (other !== home) {
      // Both hold a strong identifier here (the one just looked up): only a trusted source may merge them.
      const reason = mergeRefusal(home, other, newAccount) ?? (ev.trusted ? null : "untrusted_source");
      if (reason) refused.push({ id, other, reason });
      else home = mergeInMemory(state, home, other, ev.eventId);
    }
  }

  if (!home && ev.linkProfileId) {
    const linked = state.find(ev.linkProfileId);
    if (canTake(linked, pending)) home = linked;
  }

  if (device) {
    const known = state.identifiers.get(device.key);
    if (!known) pending.push(device);
    else {
      const other = state.ownerOf(known);
      if (!home) {
        if (canTake(other, pending)) home = other;
        else {
          home = state.newProfile(t);
          share(state, known, home, ev.eventId);
        }
      } else if (other !== home) {
        if (isAnonymous(other)) home = mergeInMemory(state, home, other, ev.eventId);
        else share(state, known, home, ev.eventId);
      }
    }
  }

  if (!home) home = state.newProfile(t);
  for (const id of pending) attach(state, home, id, ev.eventId, t);
  for (const r of refused) {
    // R5d: the refused merge is recorded with its reason, so an owner can see it and merge by hand.
    state.links.push({
      profileId: home.id,
      identifierId: null,
      type: r.id.type,
      hash: r.id.hash,
      eventId: ev.eventId,
      action: "refused",
      reason: r.reason,
    });
    state.merges.push({
      from: r.other.id,
      into: home.id,
      eventId: ev.eventId,
      kind: "refused",
      reason: r.reason,
      keys: [r.id.key],
    });
  }
  return home;
}
