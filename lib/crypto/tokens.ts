import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random URL-safe token of `bytes` bytes of entropy. */
export const randomToken = (bytes = 24) => randomBytes(bytes).toString("base64url");

export const sha256Hex = (value: string) => createHash("sha256").update(value).digest("hex");

/** Constant-time comparison of two secrets (different lengths compare unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
