import { randomUUID } from "node:crypto";
import { metaError, startFakeServer } from "./fake-ads.ts";

/**
 * A local stand-in for graph.facebook.com's Conversions API (INTEGRATIONS.md 4.1): `POST /v24.0/{pixel}/events
 * ?access_token=…` with `{"data": [...], "test_event_code"?}` answers `{"events_received", "messages",
 * "fbtrace_id"}`; it refuses, as Meta does, a missing token (code 190), over 1,000 events, and the whole batch when
 * one event lacks a required field or is older than 7 days. `script` answers first (500, 429…).
 */
export function startFakeMeta(now: () => number = Date.now) {
  return startFakeServer((req) => {
    const match = req.path.match(/^\/v\d+\.\d+\/(\d+)\/events$/);
    if (req.method !== "POST" || !match) return { status: 404, body: metaError("Unknown path", 803) };
    if (!req.query.get("access_token")) return { status: 400, body: metaError("Invalid OAuth access token.", 190) };
    const data = req.body?.data;
    if (!Array.isArray(data) || !data.length) return { status: 400, body: metaError("The parameter data is required") };
    if (data.length > 1000) return { status: 400, body: metaError("Too many events in one request: at most 1000") };
    for (const e of data) {
      if (!e.event_name || !Number.isInteger(e.event_time) || !e.action_source || !e.user_data)
        return { status: 400, body: metaError("Invalid parameter: a required event field is missing") };
      if (now() / 1000 - e.event_time > 7 * 24 * 3600)
        return { status: 400, body: metaError("Invalid parameter: event_time is more than 7 days ago") };
    }
    return { status: 200, body: { events_received: data.length, messages: [], fbtrace_id: randomUUID().slice(0, 11) } };
  });
}
