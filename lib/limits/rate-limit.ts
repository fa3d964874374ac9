import { AppError } from "../errors.ts";
import { processShared } from "../process-shared.ts";

/**
 * A fixed-window counter per key, in this process's memory: enough to stop a runaway client of one
 * instance. Behind several instances the limit is per instance (documented in docs/ARCHITECTURE.md).
 */
const windows = processShared("rateLimitWindows", () => new Map<string, { start: number; count: number }>());

/** Counts one hit on `key`: null while within `limit` per window, else the seconds until the window ends. */
export function hit(key: string, limit: number, windowMs = 60_000): number | null {
  const now = Date.now();
  const w = windows.get(key);
  if (!w || now - w.start >= windowMs) {
    if (windows.size > 50_000) windows.clear();
    windows.set(key, { start: now, count: 1 });
    return limit >= 1 ? null : Math.ceil(windowMs / 1000);
  }
  w.count++;
  if (w.count <= limit) return null;
  return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
}

/** As `hit`, throwing 429 `rate_limited` with `Retry-After` past the limit. */
export function rateLimit(key: string, limit: number, windowMs = 60_000) {
  const retryAfter = hit(key, limit, windowMs);
  if (retryAfter === null) return;
  throw new AppError(
    "rate_limited",
    429,
    "Too many requests: slow down and retry after the given seconds.",
    undefined,
    {
      "Retry-After": String(retryAfter),
    },
  );
}
