const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** `&amp;`, `&#39;`, `&#x2F;` and the few named entities mail uses, back to characters. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

/**
 * A readable plain text of an HTML mail, for the person's thread when a mail came without a text part: block
 * ends become line breaks, links keep their target in brackets, styles, scripts and comments go.
 */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, "")
      // Line breaks of the source are spaces in HTML; only the markup breaks lines.
      .replace(/\s+/g, " ")
      .replace(/<(style|script|head|title)\b[\s\S]*?<\/\1\s*>/gi, "")
      .replace(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi, (_, d, s, inner: string) => {
        const href = decodeEntities(d ?? s ?? "");
        const label = inner.replace(/<[^>]*>/g, "").trim();
        return /^https?:/i.test(href) && decodeEntities(label) !== href ? `${label} (${href})` : label;
      })
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/(p|div|h[1-6]|li|tr|table|blockquote)\s*>/gi, "\n")
      .replace(/<li\b[^>]*>/gi, "• ")
      .replace(/<[^>]*>/g, ""),
  )
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The address of `Ann Lee <ann@example.com>` (or of a bare address), or null. */
export function addressOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const angle = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  const bare = angle?.[1] ?? value.trim();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(bare) ? bare : null;
}
