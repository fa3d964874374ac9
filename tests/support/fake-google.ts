import { randomUUID } from "node:crypto";
import { startFakeServer } from "./fake-ads.ts";

const status = (code: number, message: string, s: string) => ({ error: { code, message, status: s } });

/**
 * A local stand-in for Google's Data Manager API (decision 021): `POST /v1/events:ingest` with a Bearer token
 * and an IngestEventsRequest (`destinations`, `events` ≤ 2,000, `encoding` for hashed user data) answers
 * `{"requestId"}`; errors are google.rpc.Status envelopes. `script` answers first.
 */
export function startFakeGoogle() {
  return startFakeServer((req) => {
    if (req.method !== "POST" || req.path !== "/v1/events:ingest")
      return { status: 404, body: status(404, "Not found", "NOT_FOUND") };
    if (!/^Bearer \S+$/.test(String(req.headers.authorization ?? "")))
      return { status: 401, body: status(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED") };
    const b = req.body ?? {};
    if (!Array.isArray(b.destinations) || !b.destinations.length || !Array.isArray(b.events) || !b.events.length)
      return { status: 400, body: status(400, "destinations and events are required", "INVALID_ARGUMENT") };
    if (b.events.length > 2000)
      return { status: 400, body: status(400, "At most 2000 events per request", "INVALID_ARGUMENT") };
    if (b.events.some((e: { userData?: unknown }) => e.userData) && b.encoding !== "HEX" && b.encoding !== "BASE64")
      return { status: 400, body: status(400, "encoding is required for user data", "INVALID_ARGUMENT") };
    return { status: 200, body: { requestId: randomUUID() } };
  });
}
