import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import type { IdentifierType } from "./types.ts";

const EMAIL_RE = /^[^\s@"(),:;<>[\]\\]{1,64}@[^\s@"(),:;<>[\]\\]+\.[^\s@"(),:;<>[\]\\.]{2,}$/;
const PHONE_PREFIX_RE = /^(?:whatsapp|tel|sms|mms|viber|telegram|signal):/i;

/**
 * R1: the one normal form of an identifier, or null when the value cannot be one (it is then kept as an
 * event property, not as an identifier). Emails are trimmed and lower-cased and must look like an address;
 * phones become E.164 read with the workspace's default country ("whatsapp:+1…" and "(805) 555-0100" alike);
 * account ids are trimmed with their case kept; device ids are taken as sent.
 */
export function normalizeIdentifier(type: IdentifierType, raw: string, defaultCountry = "US"): string | null {
  const value = raw.trim();
  if (!value) return null;
  switch (type) {
    case "email": {
      const email = value.replace(/^mailto:/i, "").toLowerCase();
      return email.length <= 254 && EMAIL_RE.test(email) ? email : null;
    }
    case "phone": {
      const phone = value.replace(PHONE_PREFIX_RE, "").trim();
      if (!/\d/.test(phone) || phone.length > 40) return null;
      const parsed = parsePhoneNumberFromString(phone, defaultCountry.toUpperCase() as CountryCode);
      return parsed?.isPossible() ? parsed.number : null;
    }
    case "account":
      return value.length <= 320 ? value : null;
    case "device":
      return raw.length <= 320 ? raw : null;
  }
}
