import { hashIdentifier } from "../crypto/keys.ts";
import type { Blocklist } from "./blocklist.ts";
import { normalizeIdentifier } from "./normalize-identifier.ts";
import { type IdentifierType, identifierKey } from "./types.ts";

export interface IdentityInput {
  deviceId?: string | null;
  email?: string | null;
  phone?: string | null;
  accountId?: string | null;
}

/** One identifier of an event, normalised (R1), past the blocklist (R2) and hashed (R3). */
export interface PreparedIdentifier {
  type: IdentifierType;
  value: string;
  hash: string;
  /** `type:hash` */
  key: string;
}

export interface PreparedIdentity {
  /** In priority order: account, email, phone, device. */
  identifiers: PreparedIdentifier[];
  /** Values that failed normalisation, kept as an event property (R1). */
  unmatched: Partial<Record<IdentifierType, string>>;
}

const FIELDS: [keyof IdentityInput, IdentifierType][] = [
  ["accountId", "account"],
  ["email", "email"],
  ["phone", "phone"],
  ["deviceId", "device"],
];

export interface IdentityContext {
  hashSalt: string;
  defaultCountry: string;
  blocklist: Blocklist;
  /** Results per `type\u0000raw` value, so each distinct value is normalised and hashed once (bounded). */
  memo?: Map<string, PreparedIdentifier | string | null>;
}

/** The most values a memo keeps before it starts over (a few MiB). */
const MEMO_MAX = 20_000;

export function prepareIdentity(identity: IdentityInput, ctx: IdentityContext): PreparedIdentity {
  const identifiers: PreparedIdentifier[] = [];
  const unmatched: PreparedIdentity["unmatched"] = {};
  for (const [field, type] of FIELDS) {
    const raw = identity[field];
    if (typeof raw !== "string") continue;
    const memoKey = `${type}\u0000${raw}`;
    let found = ctx.memo?.get(memoKey);
    if (found === undefined) {
      found = prepareOne(type, raw, ctx);
      if (ctx.memo) {
        if (ctx.memo.size >= MEMO_MAX) ctx.memo.clear();
        ctx.memo.set(memoKey, found);
      }
    }
    if (found === null) continue;
    if (typeof found === "string") unmatched[type] = found;
    else identifiers.push(found);
  }
  return { identifiers, unmatched };
}

/** One value: the prepared identifier, the raw value when it fails normalisation, or null when blocked. */
function prepareOne(type: IdentifierType, raw: string, ctx: IdentityContext): PreparedIdentifier | string | null {
  const value = normalizeIdentifier(type, raw, ctx.defaultCountry);
  if (ctx.blocklist.isBlocked(type, raw, value)) return null;
  if (value === null) return raw;
  const hash = hashIdentifier(ctx.hashSalt, type, value);
  return { type, value, hash, key: identifierKey(type, hash) };
}

/** The hash of one identifier given by a person (lookup, split), or null when it cannot be one. */
export function hashGivenIdentifier(type: IdentifierType, raw: string, ctx: IdentityContext) {
  const value = normalizeIdentifier(type, raw, ctx.defaultCountry);
  if (value === null || ctx.blocklist.isBlocked(type, raw, value)) return null;
  return { type, value, hash: hashIdentifier(ctx.hashSalt, type, value) };
}
