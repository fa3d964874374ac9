// The tracker's pure helpers (unit-tested). URLs leave the page as they are: the server keeps only the path
// and allow-listed parameters before anything is stored (P6), and reads campaign tags and ot_c from them.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

interface FieldLike {
  type?: string;
  name?: string;
  autocomplete?: string;
  value?: unknown;
}

/**
 * The email and phone of a form (or of an identify() object), never anything else: a field counts as an
 * email by type, name or autocomplete, as a phone by type tel or a name/autocomplete mentioning phone/tel.
 * Passwords, hidden fields and free text are never read.
 */
export function pickIdentity(
  source: HTMLFormElement | Record<string, unknown> | { elements: ArrayLike<FieldLike> },
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!("elements" in source)) {
    for (const k of ["email", "phone", "accountId"]) if (typeof source[k] === "string") out[k] = source[k] as string;
    return out;
  }
  for (const f of Array.from(source.elements as ArrayLike<FieldLike>)) {
    const type = (f.type || "").toLowerCase();
    const hint = `${f.name || ""} ${f.autocomplete || ""}`.toLowerCase();
    const value = typeof f.value === "string" ? f.value.trim() : "";
    if (!value || type === "password" || type === "hidden") continue;
    if (!out.email && (type === "email" || /e-?mail/.test(hint)) && EMAIL.test(value)) out.email = value;
    else if (!out.phone && (type === "tel" || /phone|\btel/.test(hint)) && /\d{6,}/.test(value.replace(/\D/g, "")))
      out.phone = value;
  }
  return out;
}

/** Crawlers, previews and headless browsers are not visitors. */
export const isBot = (ua: string) => /bot|crawl|spider|slurp|headless|lighthouse|preview|python|curl/i.test(ua);
