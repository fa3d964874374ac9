import { createHash } from "node:crypto";
import { AppError } from "../errors.ts";

/**
 * Password-login throttling, per account and per client, in this process's memory (like lib/limits: behind
 * several instances the budgets are per instance).
 *
 * Every attempt counts as a failure from the moment it starts (`beginLoginAttempt`, before the password is
 * checked), and a success gives it back (`loginSucceeded`). Counting up front means 48 parallel guesses cannot
 * all slip in before the first one is recorded. Once an account (or client) has used its free attempts, each
 * further attempt locks it for a delay that doubles — 30 s, 1 min, 2 min… up to the maximum — and while it is
 * locked every attempt is refused with 429 and `Retry-After`, the right password included: otherwise the
 * lockout would only slow an attacker down by the time the right guess takes to arrive. A successful login
 * clears the account's count. Counts are forgotten `forgetMs` after the last attempt or the end of the last
 * lock, whichever is later (so waiting out a long lock does not buy a fresh set of free attempts at once).
 */
interface Rule {
  free: number;
  baseMs: number;
  maxMs: number;
  forgetMs: number;
}

export const ACCOUNT_RULE: Rule = { free: 5, baseMs: 30_000, maxMs: 15 * 60_000, forgetMs: 15 * 60_000 };
/** A client (hashed address, lib/limits/client-address.ts) may try many accounts: an office behind one NAT. */
export const CLIENT_RULE: Rule = { free: 50, baseMs: 30_000, maxMs: 60 * 60_000, forgetMs: 60 * 60_000 };

interface Strikes {
  count: number;
  lockedUntil: number;
  last: number;
}

const MAX_KEYS = 50_000;
const accounts = new Map<string, Strikes>();
const clients = new Map<string, Strikes>();

/** Keys of the account map: the normalised address, hashed (no plain addresses held in memory). */
export function accountKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url").slice(0, 22);
}

const forgotten = (s: Strikes, rule: Rule, now: number) => now - Math.max(s.last, s.lockedUntil) >= rule.forgetMs;

function current(map: Map<string, Strikes>, key: string, rule: Rule, now: number): Strikes | undefined {
  const s = map.get(key);
  if (s && forgotten(s, rule, now)) {
    map.delete(key);
    return undefined;
  }
  return s;
}

function strike(map: Map<string, Strikes>, key: string, rule: Rule, now: number) {
  let s = current(map, key, rule, now);
  if (!s) {
    if (map.size >= MAX_KEYS) prune(map, rule, now);
    s = { count: 0, lockedUntil: 0, last: now };
    map.set(key, s);
  }
  s.count++;
  s.last = now;
  if (s.count >= rule.free) s.lockedUntil = now + Math.min(rule.maxMs, rule.baseMs * 2 ** (s.count - rule.free));
}

/** Forgotten entries first; if still full, the oldest ones (never a wholesale clear, which would lift every lockout). */
function prune(map: Map<string, Strikes>, rule: Rule, now: number) {
  for (const [k, s] of map) if (forgotten(s, rule, now)) map.delete(k);
  for (const k of map.keys()) {
    if (map.size < MAX_KEYS * 0.9) break;
    map.delete(k);
  }
}

export function tooManyLogins(retryAfterMs: number, scope: "account" | "client") {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(
    "rate_limited",
    429,
    scope === "account"
      ? "Too many failed logins for this account: wait before trying again, or log in with a link by email."
      : "Too many failed logins from your network: wait before trying again.",
    undefined,
    { "Retry-After": String(seconds) },
  );
}

export interface LoginAttempt {
  /** The address typed in, if any (an attempt without one still counts for the client). */
  email: string | null;
  /** lib/limits/client-address.ts clientKey(headers). */
  client: string;
}

/** Throws AppError rate_limited (429, Retry-After) if the account or the client is locked; else counts the attempt. */
export function beginLoginAttempt(attempt: LoginAttempt, now = Date.now()) {
  const account = attempt.email ? accountKey(attempt.email) : null;
  const a = account ? current(accounts, account, ACCOUNT_RULE, now) : undefined;
  const c = current(clients, attempt.client, CLIENT_RULE, now);
  if (a && a.lockedUntil > now) throw tooManyLogins(a.lockedUntil - now, "account");
  if (c && c.lockedUntil > now) throw tooManyLogins(c.lockedUntil - now, "client");
  if (account) strike(accounts, account, ACCOUNT_RULE, now);
  strike(clients, attempt.client, CLIENT_RULE, now);
}

/** The password was right: the account starts afresh, and the client gets this attempt back. */
export function loginSucceeded(attempt: LoginAttempt, now = Date.now()) {
  if (attempt.email) accounts.delete(accountKey(attempt.email));
  const c = current(clients, attempt.client, CLIENT_RULE, now);
  if (!c) return;
  c.count = Math.max(0, c.count - 1);
  if (c.count < CLIENT_RULE.free) c.lockedUntil = 0;
}

/** For tests: forget every count. */
export function resetLoginThrottle() {
  accounts.clear();
  clients.clear();
}
