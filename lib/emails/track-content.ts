import { appUrl } from "../config/env.ts";
import type { Db } from "../db/client.ts";
import { createTrackedLink } from "../links/create-link.ts";
import { targetUrlSchema } from "../links/schemas.ts";
import { decodeEntities } from "./html-to-text.ts";

/** The most distinct links of one mail rewritten (the rest stay as written). */
export const MAX_TRACKED_LINKS = 100;

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2/gis;
const BARE_URL = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?)\]}]+$/;

export interface MailParts {
  html?: string;
  text?: string;
}

export interface TrackingOptions {
  workspaceId: string;
  profileId: string;
  /** P8: false → neither the pixel nor rewritten links. */
  track: boolean;
  pixelUrl: string;
  unsubscribeUrl: string;
  /** Marketing mail also carries a visible unsubscribe link (the one-click header is in every mail). */
  marketing: boolean;
  /** The person's privacy page at the business (P9), in the footer of every mail. */
  preferencesUrl: string;
}

const trackable = (url: string) => targetUrlSchema.safeParse(url).success && !url.startsWith(`${appUrl()}/`);

/** Every http(s) link of the html (`<a href>`) and the text (bare URLs), in order of appearance, once each. */
function linksOf(parts: MailParts): string[] {
  const found = new Set<string>();
  for (const m of parts.html?.matchAll(HREF) ?? []) found.add(decodeEntities(m[3] ?? "").trim());
  for (const m of parts.text?.matchAll(BARE_URL) ?? []) found.add(m[0].replace(TRAILING, ""));
  return [...found].filter(trackable).slice(0, MAX_TRACKED_LINKS);
}

const escapeAttr = (s: string) => s.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/** Puts `snippet` before `</body>` when the html has one, else at its end. */
function beforeBodyEnd(html: string, snippet: string) {
  const at = html.search(/<\/body\s*>/i);
  return at < 0 ? `${html}${snippet}` : `${html.slice(0, at)}${snippet}${html.slice(at)}`;
}

/**
 * The mail as it goes out. Tracked (P8 allows it): each link becomes a tracked link of the person
 * (`/l/{code}`, channel email — a click there joins the clicking device to them, R14) and the html gets the
 * open pixel. Untracked: links and html as written, no pixel. Every mail ends with a link to the person's
 * privacy page (P9), marketing mail also with a visible unsubscribe link, in both parts (the one-click header
 * is added to every mail by the sender).
 */
export async function trackedParts(db: Db, parts: MailParts, o: TrackingOptions): Promise<MailParts> {
  let { html, text } = parts;
  if (o.track) {
    const short = new Map<string, string>();
    for (const url of linksOf(parts)) {
      const link = await createTrackedLink(db, o.workspaceId, { url, profileId: o.profileId, channel: "email" });
      short.set(url, link.shortUrl);
    }
    html = html?.replace(HREF, (whole, start: string, quote: string, value: string) => {
      const to = short.get(decodeEntities(value).trim());
      return to ? `${start}${quote}${to}${quote}` : whole;
    });
    text = text?.replace(BARE_URL, (whole) => {
      const url = whole.replace(TRAILING, "");
      const to = short.get(url);
      return to ? `${to}${whole.slice(url.length)}` : whole;
    });
  }
  // Every mail ends with the person's privacy page (P9); marketing mail also with a visible unsubscribe link.
  const unsubscribe = o.marketing
    ? `Don't want these emails? <a href="${escapeAttr(o.unsubscribeUrl)}" style="color:#64748b">Unsubscribe</a> · `
    : "";
  html &&= beforeBodyEnd(
    html,
    `<p style="margin:24px 0 0;font-size:12px;color:#64748b">${unsubscribe}<a href="${escapeAttr(o.preferencesUrl)}" style="color:#64748b">Your data and privacy choices</a></p>`,
  );
  text &&= `${text.trimEnd()}\n\n--\n${o.marketing ? `Unsubscribe: ${o.unsubscribeUrl}\n` : ""}Your data and privacy choices: ${o.preferencesUrl}\n`;
  if (o.track && html)
    html = beforeBodyEnd(
      html,
      `<img src="${escapeAttr(o.pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`,
    );
  return { ...(html !== undefined ? { html } : {}), ...(text !== undefined ? { text } : {}) };
}
