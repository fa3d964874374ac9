import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { isBlocked, unquote } from "./blocklist.ts";

export type IdentifierType = "account" | "email" | "phone" | "device";
/** Matching priority (R5b): the strongest first. */
export const PRIORITY: IdentifierType[] = ["account", "email", "phone", "device"];
export const STRONG = new Set<IdentifierType>(["account", "email", "phone"]);
export const LIMITS: Record<IdentifierType, number> = {
  account: 1,
  email: 5,
  phone: 5,
  device: Number.POSITIVE_INFINITY,
};

const EMAIL = /^[^\s@"'<>(),;:\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

export type Normalised = { ok: true; value: string } | { ok: false; reason: "blocked" | "invalid" };

/**
 * R1: the one canonical form of an identifier, or why it is not one. Emails trimmed and lower-cased;
 * phones in E.164 read with the workspace's default country ("whatsapp:", "tel:", "sms:" prefixes dropped);
 * accounts trimmed with case kept; devices as sent.
 */
export function normalizeIdentifier(
  type: IdentifierType,
  raw: unknown,
  opts: { defaultCountry?: string; blocked?: readonly string[] } = {},
): Normalised {
  if (typeof raw !== "string" && typeof raw !== "number") return { ok: false, reason: "invalid" };
  const text = String(raw);
  if (isBlocked(type, text, opts.blocked)) return { ok: false, reason: "blocked" };
  const v = unquote(text);
  switch (type) {
    case "email": {
      const email = v.toLowerCase().replace(/^mailto:/, "");
      return email.length <= 254 && EMAIL.test(email) ? { ok: true, value: email } : { ok: false, reason: "invalid" };
    }
    case "phone": {
      const stripped = v.replace(/^(whatsapp|tel|sms|telegram|viber):/i, "").trim();
      const phone = parsePhoneNumberFromString(stripped, {
        defaultCountry: (opts.defaultCountry ?? "US") as CountryCode,
      });
      return phone?.isValid() ? { ok: true, value: phone.number } : { ok: false, reason: "invalid" };
    }
    case "account":
    case "device":
      return v.length > 0 && v.length <= 200 ? { ok: true, value: v } : { ok: false, reason: "invalid" };
  }
}

/** A masked form for lists: `j•••@example.com`, `+1 •••• ••0100`. */
export function maskIdentifier(type: IdentifierType, value: string) {
  if (type === "email") {
    const [local = "", domain = ""] = value.split("@");
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  if (type === "phone") return `${value.slice(0, value.length - 8)}••••${value.slice(-4)}`;
  if (type === "account") return value.length > 6 ? `${value.slice(0, 4)}•••${value.slice(-2)}` : "•••";
  return `${value.slice(0, 6)}…`;
}
