import { hashNameToken } from "../crypto/keys.ts";

/**
 * People's names: read from an event's properties, sealed on the profile (`nameEnc`, P13) and searchable
 * through a blind index (`nameTokens`, docs/decisions/012) — a keyed hash of every prefix of every word of the
 * normalised name, so "jo riv" finds Jo Rivera with one GIN probe and no name is ever decrypted to search.
 */

/** Where events carry a name, as Segment's traits and the usual form fields call it. */
const FULL = ["name", "fullName", "full_name", "customerName", "customer_name", "contactName", "contact_name"];
const FIRST = ["firstName", "first_name", "firstname", "given_name", "givenName"];
const LAST = ["lastName", "last_name", "lastname", "family_name", "familyName"];
export const NAME_KEYS: readonly string[] = [...FULL, ...FIRST, ...LAST];

export const MAX_NAME = 100;
/** Words and prefix lengths indexed: enough for real names, bounded for hostile ones. */
const MAX_WORDS = 6;
const MAX_WORD = 20;

const clean = (v: unknown) => (typeof v === "string" ? v.replace(/\s+/g, " ").trim() : "");

/** A person's name, or null: letters required; no @ (an email) and not mostly digits (a phone, an id). */
export function normalizeName(raw: unknown): string | null {
  const name = clean(raw).slice(0, MAX_NAME).trim();
  if (!name || name.includes("@") || !/\p{L}/u.test(name)) return null;
  const digits = name.replace(/\D/g, "").length;
  if (digits >= 3 && digits * 2 >= name.replace(/\s/g, "").length) return null;
  return name;
}

/** The name an event's properties give (a full name, else first + last), and the keys it was read from. */
export function nameInProperties(props: Record<string, unknown>): { name: string; keys: string[] } | null {
  const present = (keys: string[]) => keys.filter((k) => clean(props[k]));
  const full = present(FULL);
  for (const k of full) {
    const name = normalizeName(props[k]);
    if (name) return { name, keys: [...full, ...present(FIRST), ...present(LAST)] };
  }
  const first = present(FIRST);
  const last = present(LAST);
  const name = normalizeName([props[first[0] ?? ""], props[last[0] ?? ""]].map(clean).join(" "));
  return name ? { name, keys: [...first, ...last] } : null;
}

/** Lower case, accents folded ("José Núñez" → ["jose", "nunez"]), split on anything not a letter or digit. */
export function nameWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The blind index of a name: the keyed hash of each prefix of 2+ characters of each word. */
export function nameTokens(workspaceSalt: string, name: string): string[] {
  const tokens = new Set<string>();
  for (const word of nameWords(name).slice(0, MAX_WORDS)) {
    const w = [...word].slice(0, MAX_WORD);
    for (let n = 2; n <= w.length; n++) tokens.add(hashNameToken(workspaceSalt, w.slice(0, n).join("")));
  }
  return [...tokens];
}

/**
 * What a search for `q` must find among a name's tokens (every word of q as a prefix of some word of the
 * name), or null when q has no word the index can match (one letter alone is too little to search by).
 */
export function searchTokens(workspaceSalt: string, q: string): string[] | null {
  const words = nameWords(q)
    .map((w) => [...w].slice(0, MAX_WORD).join(""))
    .filter((w) => [...w].length >= 2);
  if (!words.length) return null;
  return [...new Set(words.slice(0, MAX_WORDS).map((w) => hashNameToken(workspaceSalt, w)))];
}
