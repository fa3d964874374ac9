import { createHash } from "node:crypto";

/** SHA-256 as lowercase hex, the form both networks want (INTEGRATIONS.md 4.3, 5.2). */
export const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

/** Meta `em` (INTEGRATIONS.md 4.3): trimmed and lower-cased, then hashed. */
export const metaEmail = (email: string) => sha256(email.trim().toLowerCase());

/**
 * Meta `ph` (INTEGRATIONS.md 4.3, the SDK's normalizePhone): digits only, country code included, no leading
 * zeros (`+1 (650) 555-1212` → `16505551212`). Our phones are E.164 already (R1), so this drops the `+`.
 * Null for something that is not 7–16 digits long after that.
 */
export function metaPhone(phone: string): string | null {
  const digits = phone.replace(/\D/g, "").replace(/^0{1,2}/, "");
  return digits.length >= 7 && digits.length <= 16 ? sha256(digits) : null;
}

/**
 * Google's email normal form (INTEGRATIONS.md 5.2, where the sources conflict; the recommended reading):
 * trimmed and lower-cased; for gmail.com and googlemail.com also every dot of the user part dropped and a
 * `+suffix` removed. Other domains keep their dots and plus signs.
 */
export function googleEmail(email: string) {
  const value = email.trim().toLowerCase();
  const at = value.lastIndexOf("@");
  if (at < 1) return sha256(value);
  const domain = value.slice(at + 1);
  let user = value.slice(0, at);
  if (domain === "gmail.com" || domain === "googlemail.com") user = user.replace(/\+.*$/, "").replace(/\./g, "");
  return sha256(`${user}@${domain}`);
}

/** Google's phone normal form: E.164 with its `+` (`+18005550102`). Null when it is not one. */
export function googlePhone(phone: string): string | null {
  const digits = phone.replace(/\D/g, "");
  return digits.length >= 7 && digits.length <= 15 ? sha256(`+${digits}`) : null;
}
