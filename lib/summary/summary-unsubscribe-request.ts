import type { Db } from "../db/client.ts";
import { unsubscribePage } from "../emails/unsubscribe-page.ts";
import { unsubscribeVia } from "../emails/unsubscribe-request.ts";
import { findSummarySubscription, type SummarySubscription, unsubscribeSummary } from "./summary-subscription.ts";

/** The unsubscribe page's words for the summary: "these emails from <business>" is the Friday summary. */
const target = (s: SummarySubscription) => ({
  emailSendId: "",
  workspaceId: s.workspaceId,
  purpose: "weekly-summary",
  business: `OneThread about ${s.business} (the Friday summary)`,
  done: !s.subscribed,
});

/** `GET /u/summary/{token}`: one button; a GET changes nothing (link scanners open links). */
export async function summaryUnsubscribeGet(db: Db, token: string): Promise<Response> {
  try {
    const s = await findSummarySubscription(db, token);
    if (!s) return unsubscribePage({ kind: "problem", status: 404 });
    return unsubscribePage({ kind: s.subscribed ? "confirm" : "done", target: target(s) });
  } catch (error) {
    console.error("The summary unsubscribe page failed", error);
    return unsubscribePage({ kind: "problem", status: 503 });
  }
}

/** `POST /u/summary/{token}`: RFC 8058 one-click (blank 200) or the page's button (the page saying it is done). */
export async function summaryUnsubscribePost(db: Db, token: string, raw: string, contentType: string | null) {
  const via = unsubscribeVia(raw, contentType);
  if (!via) return unsubscribePage({ kind: "problem", status: 400 });
  try {
    const s = await unsubscribeSummary(db, token);
    if (via === "one-click")
      return new Response(s ? "" : "This unsubscribe link is not valid.", {
        status: s ? 200 : 404,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    return s ? unsubscribePage({ kind: "done", target: target(s) }) : unsubscribePage({ kind: "problem", status: 404 });
  } catch (error) {
    console.error("Unsubscribing from the summary failed", error);
    return unsubscribePage({ kind: "problem", status: 503 });
  }
}
