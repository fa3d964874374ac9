/** The four kinds of identifier (IDENTITY.md), in priority order: strongest first (R5b). */
export const IDENTIFIER_TYPES = ["account", "email", "phone", "device"] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export const STRONG_TYPES: ReadonlySet<IdentifierType> = new Set(["account", "email", "phone"]);

/** Per-profile limits for automatic resolution (R5c); devices are unlimited. */
export const IDENTIFIER_LIMITS: Record<IdentifierType, number> = {
  account: 1,
  email: 5,
  phone: 5,
  device: Number.POSITIVE_INFINITY,
};

export const priorityOf = (type: IdentifierType) => IDENTIFIER_TYPES.indexOf(type);

/** `type:hash`, the form stored in Event.identityHashes (R9) and used as the key of an identifier everywhere. */
export const identifierKey = (type: IdentifierType, hash: string) => `${type}:${hash}`;

export function parseIdentifierKey(key: string): { type: IdentifierType; hash: string } {
  const i = key.indexOf(":");
  return { type: key.slice(0, i) as IdentifierType, hash: key.slice(i + 1) };
}
