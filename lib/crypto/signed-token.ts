import { createHmac, timingSafeEqual } from "node:crypto";
import { signingKeys } from "./keys.ts";

/** The tag's length: HMAC-SHA-256 cut to 128 bits, plenty against forgery and short enough for a link. */
const TAG_BYTES = 16;

const tagOf = (key: Buffer, payload: Buffer) =>
  createHmac("sha256", key).update(payload).digest().subarray(0, TAG_BYTES);

/**
 * A token that carries its own payload and proves the server made it: `base64url(payload ‖ tag)`, the tag an
 * HMAC-SHA-256 of the payload under a key derived from MASTER_KEY for this `purpose` (a token signed for one
 * purpose never opens another). Nothing secret goes in the payload: it is readable, only not forgeable.
 */
export function signToken(purpose: string, payload: Buffer): string {
  const [key] = signingKeys(purpose);
  if (!key) throw new Error("No signing key.");
  return Buffer.concat([payload, tagOf(key, payload)]).toString("base64url");
}

/** The payload of a token this server signed for `purpose` (under the current or previous key), else null. */
export function openSignedToken(purpose: string, token: string, maxLength = 512): Buffer | null {
  if (typeof token !== "string" || token.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const raw = Buffer.from(token, "base64url");
  // One spelling per token: a token is also looked up by its hash, so a variant spelling must not open it.
  if (raw.length <= TAG_BYTES || raw.toString("base64url") !== token) return null;
  const payload = raw.subarray(0, raw.length - TAG_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  for (const key of signingKeys(purpose)) if (timingSafeEqual(tagOf(key, payload), tag)) return payload;
  return null;
}
