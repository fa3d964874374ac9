import type { Db } from "../db/client.ts";
import { findUnsubscribe, unsubscribe } from "./unsubscribe.ts";
import { unsubscribePage } from "./unsubscribe-page.ts";

/**
 * How a POST to /u/{token} asks: RFC 8058's `List-Unsubscribe=One-Click` (form-encoded, or a multipart field,
 * as mail clients send it without cookies), or the page's button (`via=page`). Anything else asks nothing.
 */
export function unsubscribeVia(raw: string, contentType: string | null): "one-click" | "page" | null {
  if (/^multipart\/form-data/i.test(contentType?.trim() ?? "")) {
    if (/name="?List-Unsubscribe"?\s*\r?\n(?:[^\r\n]+\r?\n)*\r?\n\s*One-Click\b/i.test(raw)) return "one-click";
    return /name="?via"?\s*\r?\n(?:[^\r\n]+\r?\n)*\r?\n\s*page\b/i.test(raw) ? "page" : null;
  }
  const form = new URLSearchParams(raw.trim());
  if (form.get("List-Unsubscribe") === "One-Click") return "one-click";
  return form.get("via") === "page" ? "page" : null;
}

/** `GET /u/{token}`: the page with one button (or "you're unsubscribed"); nothing changes on a GET (link scanners). */
export async function unsubscribeGet(db: Db, token: string): Promise<Response> {
  try {
    const target = await findUnsubscribe(db, token);
    if (!target) return unsubscribePage({ kind: "problem", status: 404 });
    return unsubscribePage({ kind: target.done ? "done" : "confirm", target });
  } catch (error) {
    console.error("The unsubscribe page failed", error);
    return unsubscribePage({ kind: "problem", status: 503 });
  }
}

/**
 * `POST /u/{token}`: opts out at once (unsubscribe.ts). A mail client's one-click gets a blank 200 (Resend's
 * guidance for RFC 8058); the page's button gets the page saying it is done.
 */
export async function unsubscribePost(db: Db, token: string, raw: string, contentType: string | null) {
  const via = unsubscribeVia(raw, contentType);
  if (!via) return unsubscribePage({ kind: "problem", status: 400 });
  try {
    const done = await unsubscribe(db, token, via);
    if (via === "one-click")
      return new Response(done ? "" : "This unsubscribe link is not valid.", {
        status: done ? 200 : 404,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    const target = done ? await findUnsubscribe(db, token) : null;
    return target ? unsubscribePage({ kind: "done", target }) : unsubscribePage({ kind: "problem", status: 404 });
  } catch (error) {
    console.error("Unsubscribing failed", error);
    return unsubscribePage({ kind: "problem", status: 503 });
  }
}
