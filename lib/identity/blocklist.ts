import { normalizeIdentifier } from "./normalize-identifier.ts";
import type { IdentifierType } from "./types.ts";

/** R2: values that never identify anyone, compared without surrounding quotes and in any case. */
export const DEFAULT_BLOCKED_VALUES = [
  "null",
  "undefined",
  "none",
  "nan",
  "nil",
  "n/a",
  "true",
  "false",
  "0",
  "-1",
  "anonymous",
  "guest",
  "unknown",
  "test",
  "abc123",
  "[object object]",
];

/** Role mailboxes: shared addresses that stand for a company, never for one person. */
export const ROLE_MAILBOXES = [
  "noreply",
  "no-reply",
  "no_reply",
  "donotreply",
  "do-not-reply",
  "do_not_reply",
  "info",
  "admin",
  "administrator",
  "support",
  "postmaster",
  "webmaster",
  "hostmaster",
  "mailer-daemon",
  "abuse",
  "root",
];

const ONLY_ZEROS_AND_DASHES = /^[0-]*$/;
const defaults = new Set(DEFAULT_BLOCKED_VALUES);
const roles = new Set(ROLE_MAILBOXES);

function unquote(value: string): string {
  let v = value.trim();
  while (v.length >= 2 && /^["'`]/.test(v) && v.at(-1) === v[0]) v = v.slice(1, -1).trim();
  return v;
}

export interface Blocklist {
  isBlocked(type: IdentifierType, raw: string, normalised: string | null): boolean;
}

/**
 * The default list plus a workspace's own values (Workspace.blockedValues). A workspace value blocks both
 * as written and in its normal form, so blocking "+1 805 555 0000" also blocks "(805) 555-0000".
 */
export function createBlocklist(workspaceValues: readonly string[] = [], defaultCountry = "US"): Blocklist {
  const extra = new Set<string>();
  for (const value of workspaceValues) {
    const v = unquote(value).toLowerCase();
    if (!v) continue;
    extra.add(v);
    for (const type of ["email", "phone"] as const) {
      const n = normalizeIdentifier(type, v, defaultCountry);
      if (n) extra.add(n.toLowerCase());
    }
  }
  return {
    isBlocked(type, raw, normalised) {
      const v = unquote(raw).toLowerCase();
      if (ONLY_ZEROS_AND_DASHES.test(v) || defaults.has(v) || extra.has(v)) return true;
      if (normalised && extra.has(normalised.toLowerCase())) return true;
      if (type === "email" && normalised) {
        const local = normalised.slice(0, normalised.indexOf("@"));
        if (roles.has(local) || roles.has(local.split("+")[0] ?? "")) return true;
      }
      return false;
    },
  };
}
