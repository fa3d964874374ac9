/**
 * R2: values that never identify anyone. Checked on the raw value (trimmed, unquoted, any case); the event
 * is still stored, the value just does not become an identifier.
 */
const BLOCKED = new Set([
  "null",
  "undefined",
  "none",
  "nan",
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
  "n/a",
  "na",
  "nil",
]);

const ROLE_MAILBOXES = new Set([
  "noreply",
  "no-reply",
  "donotreply",
  "do-not-reply",
  "info",
  "admin",
  "support",
  "hello",
  "contact",
  "sales",
  "office",
  "billing",
  "postmaster",
  "webmaster",
  "abuse",
  "root",
  "mailer-daemon",
]);

export function unquote(value: string) {
  let v = value.trim();
  while (v.length >= 2 && /^["'`].*["'`]$/s.test(v) && v[0] === v[v.length - 1]) v = v.slice(1, -1).trim();
  return v;
}

export function isBlocked(
  type: "account" | "email" | "phone" | "device",
  raw: string,
  workspaceBlocked: readonly string[] = [],
) {
  const v = unquote(raw).toLowerCase();
  if (!v || BLOCKED.has(v) || /^[0-]*$/.test(v)) return true;
  if (workspaceBlocked.some((b) => unquote(b).toLowerCase() === v)) return true;
  if (type === "email") {
    const local = v.split("@")[0] ?? "";
    if (ROLE_MAILBOXES.has(local) || BLOCKED.has(local)) return true;
  }
  return false;
}
