import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` characters drawn uniformly from `alphabet` with crypto randomness (rejection sampling, no modulo bias). */
function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= limit) continue;
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A tracked link's short code: 10 base62 characters (about 59 bits), too many to enumerate. */
export const newLinkCode = () => randomString(BASE62, 10);

/**
 * A click id (`ot_c`): 22 letters (about 125 bits). Letters only, so no run of digits in it can ever look like a
 * phone number to the URL redaction of P6, which would otherwise blank it out of a stored landing URL.
 */
export const newClickId = () => randomString(LETTERS, 22);

/** The shape of a code on the public path, checked before any database read: anything else is unknown at once. */
export const LINK_CODE = /^[0-9A-Za-z]{4,32}$/;
