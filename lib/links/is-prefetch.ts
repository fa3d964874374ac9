import { isBot } from "../tracker/pure.ts";

// Link-preview fetchers and mail scanners that open every link of a message without a person behind them.
const PREVIEWERS =
  /facebookexternalhit|whatsapp|slack-imgproxy|skypeuripreview|google-safety|barracuda|proofpoint|mimecast|python-requests|go-http-client|curl\/|wget\//i;

/**
 * Whether a request for a tracked link comes from a machine rather than the person it was sent to: the
 * tracker's own bot check (crawlers, link previews, headless browsers), known previewers and scanners, or no
 * user agent at all. Such a request is still redirected, but counts no click and logs no event.
 */
export function isPrefetch(headers: Headers): boolean {
  const ua = headers.get("user-agent")?.trim() ?? "";
  return !ua || isBot(ua) || PREVIEWERS.test(ua);
}
