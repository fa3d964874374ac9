import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { env } from "../../config/env.ts";

/**
 * How long a call to Twilio may take before the send answers 502: well inside the 15 s a caller of ours (a
 * chatbot answering its own webhook) may itself have; Twilio answers a message create within a second or two.
 */
export const twilioLimits = { timeoutMs: 8_000 };

const TWILIO_ORIGIN = "https://api.twilio.com";

/**
 * The SDK's own HTTP client (axios, keep-alive agent, the exact headers and form encoding Twilio expects),
 * with each request's origin moved to TWILIO_API_BASE when it is set and the timeout read per request. The
 * SDK has no base-URL option: its domains are fixed `https://<product>.twilio.com` URLs.
 */
class TwilioRequestClient extends twilio.RequestClient {
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const base = env().TWILIO_API_BASE?.replace(/\/$/, "");
    const uri = base && opts.uri.startsWith(TWILIO_ORIGIN) ? base + opts.uri.slice(TWILIO_ORIGIN.length) : opts.uri;
    return super.request<T>({ ...opts, uri, timeout: twilioLimits.timeoutMs });
  }
}

let shared: TwilioRequestClient | undefined;

/**
 * A client of the workspace's own Twilio account (Account SID and Auth Token: HTTP basic auth), without
 * automatic retries: the caller answers an error at once instead of holding its request.
 */
export function twilioClient(accountSid: string, authToken: string) {
  shared ??= new TwilioRequestClient({ timeout: twilioLimits.timeoutMs, autoRetry: false });
  return twilio(accountSid, authToken, { httpClient: shared, autoRetry: false });
}
