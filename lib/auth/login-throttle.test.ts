import { beforeEach, expect, test } from "vitest";
import { AppError } from "../errors.ts";
import { ACCOUNT_RULE, beginLoginAttempt, CLIENT_RULE, loginSucceeded, resetLoginThrottle } from "./login-throttle.ts";

beforeEach(() => resetLoginThrottle());

/** The Retry-After seconds of a refused attempt, or null if it was let through. */
function attempt(email: string | null, client: string, now: number): number | null {
  try {
    beginLoginAttempt({ email, client }, now);
    return null;
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "rate_limited") throw error;
    expect(error.status).toBe(429);
    return Number(error.headers?.["Retry-After"]);
  }
}

test("an account gets its free attempts, then is locked for a delay that doubles", () => {
  const t = 1_000_000;
  for (let i = 0; i < ACCOUNT_RULE.free; i++) expect(attempt("jo@acme.test", `c${i}`, t)).toBeNull();
  // Locked from any address: the attempts were spread over several clients.
  expect(attempt("jo@acme.test", "elsewhere", t + 1000)).toBe(29);
  expect(attempt("JO@acme.test ", "elsewhere", t + 1000)).toBe(29); // the same account, however typed
  expect(attempt("other@acme.test", "elsewhere", t + 1000)).toBeNull();
  // After the lock, one more try; failing it locks for twice as long, and so on.
  expect(attempt("jo@acme.test", "c", t + 30_000)).toBeNull();
  expect(attempt("jo@acme.test", "c", t + 30_001)).toBe(60);
  expect(attempt("jo@acme.test", "c", t + 90_000)).toBeNull();
  expect(attempt("jo@acme.test", "c", t + 90_001)).toBe(120);
});

test("the lock never exceeds the maximum; counts are forgotten only long after the last lock", () => {
  let t = 0;
  for (let i = 0; i < ACCOUNT_RULE.free; i++) attempt("jo@acme.test", "c", t);
  const locks: number[] = [];
  for (let i = 0; i < 8; i++) {
    const retry = attempt("jo@acme.test", "c", t) ?? 0;
    locks.push(retry);
    t += retry * 1000; // wait out the lock exactly, then fail once more
    expect(attempt("jo@acme.test", "c", t)).toBeNull();
  }
  expect(locks).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  expect(attempt("jo@acme.test", "c", t + ACCOUNT_RULE.maxMs + ACCOUNT_RULE.forgetMs - 1)).toBeNull(); // one more try
  expect(attempt("jo@acme.test", "c", t + ACCOUNT_RULE.maxMs + ACCOUNT_RULE.forgetMs)).toBe(900);
});

test("parallel attempts count before any password is checked: only the free ones get through", () => {
  const results = Array.from({ length: 48 }, (_, i) => attempt("jo@acme.test", `c${i}`, 5000));
  expect(results.filter((r) => r === null)).toHaveLength(ACCOUNT_RULE.free);
});

test("a success clears the account's count; a refused right password changes nothing", () => {
  for (let i = 0; i < ACCOUNT_RULE.free - 1; i++) attempt("jo@acme.test", "c", 0);
  loginSucceeded({ email: "jo@acme.test", client: "c" });
  for (let i = 0; i < ACCOUNT_RULE.free; i++) expect(attempt("jo@acme.test", "c", 1)).toBeNull();
  expect(attempt("jo@acme.test", "c", 2)).not.toBeNull();
});

test("a client trying many accounts is locked after its larger budget", () => {
  for (let i = 0; i < CLIENT_RULE.free; i++) expect(attempt(`u${i}@acme.test`, "bot", 0)).toBeNull();
  expect(attempt("fresh@acme.test", "bot", 1)).toBe(30);
  expect(attempt("fresh@acme.test", "someone-else", 1)).toBeNull();
  expect(attempt(null, "bot", 2)).toBe(30);
});
