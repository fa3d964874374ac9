import { AppError } from "../errors.ts";

/**
 * A fixed-window counter per key, in this process's memory: enough to stop a runaway client of one
 * instance. Behind several instances the limit is per instance (documented in docs/ARCHITECTURE.md).
 */
const windows = new Map<string, { start: number; count: number }>();

export function rateLimit(key: string, limit: number, windowMs = 60_000) {
  const now = Date.now();
  const w = windows.get(key);
  if (!w || now - w.start >= windowMs) {
    if (windows.size > 50_000) windows.clear();
    windows.set(key, { start: now, count: 1 });
    return;
  }
  w.count++;
  if (w.count > limit) {
    const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
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
}
