import type { Db } from "../db/client.ts";
import { consentChoicesOf } from "../privacy/consent-records.ts";
import { countryOf } from "../privacy/consent-region.ts";
import { deviceCookieFor, firstPartyOrigin } from "../privacy/first-party-cookie.ts";
import { gpcHeaderOf, gpcRequested } from "../privacy/global-privacy-control.ts";
import type { RequestHeaders } from "../request-headers.ts";
import { isBot } from "../tracker/pure.ts";
import { countPages } from "./count-pages.ts";
import { kickDrainer, waitForDrain } from "./drain-ingest-log.ts";
import { fromCollect } from "./from-requests.ts";
import { validateEvents } from "./ingest-events.ts";
import { appendToLog, type LogEntry } from "./ingest-log.ts";
import { loadWorkspaceForIngest } from "./load-workspace.ts";
import type { CollectBody } from "./schemas.ts";

export interface CollectResult {
  accepted: number;
  duplicates: number;
  /** The device cookie to set when the request came through the business's own domain, else null. */
  setCookie: string | null;
}

/**
 * One request of the browser tracker (POST /api/collect): validated whole, then appended to the ingest log
 * and acknowledged once that is committed (API.md: 202 once durably stored; decision 013). The drainer
 * stores the events in large batches within milliseconds, and around them does what the request asks of
 * consent: a grant lifts the device's earlier withdrawal first, every choice is recorded afterwards and a
 * withdrawal refuses the device's later events (P3, P4), GPC marks the person (P5). A request that came
 * through the business's own domain waits for its own events, so the device cookie it gets set by the
 * server is right about the device (P2).
 */
export async function collectEvents(
  db: Db,
  workspaceId: string,
  body: CollectBody,
  headers: RequestHeaders,
): Promise<CollectResult> {
  // The tracker stays silent for bots; a crawler that runs it anyway, or replays its requests, is not
  // counted either (the same user-agent check, on the server).
  if (isBot(headers.get("user-agent") ?? "")) return { accepted: 0, duplicates: 0, setCookie: null };
  if (!body.deviceId) {
    // A visitor who refused storage: anonymous page counts only, no profile (API.md).
    const ws = await loadWorkspaceForIngest(db, workspaceId);
    await countPages(db, workspaceId, body.events, ws.timezone);
    return { accepted: body.events.length, duplicates: 0, setCookie: null };
  }
  const deviceId = body.deviceId;
  const receivedAt = new Date();
  const events = validateEvents(fromCollect({ ...body, deviceId }, receivedAt));
  const entry: LogEntry = {
    workspaceId,
    deviceId,
    events,
    ownEvents: body.events.length,
    choices: consentChoicesOf(body.events, receivedAt),
    country: countryOf(headers),
    gpcHeader: gpcHeaderOf(headers),
    gpc: gpcRequested(headers, body.events),
  };
  const { place, duplicates } = await appendToLog(db, entry);
  const accepted = body.events.length - duplicates;
  if (!firstPartyOrigin(headers)) {
    void kickDrainer(db);
    return { accepted, duplicates, setCookie: null };
  }
  const drained = await waitForDrain(db, place);
  const deviceHash = drained?.deviceHash ?? null;
  const withdrawn = drained?.withdrawn ?? entry.choices.at(-1)?.choice === "denied";
  const setCookie = drained
    ? await deviceCookieFor(db, headers, { workspaceId, deviceId, deviceHash, withdrawn })
    : null;
  if (!drained) return { accepted, duplicates, setCookie };
  const stored = drained.results.filter((r) => r.duplicate).length;
  return { accepted: drained.results.length - stored, duplicates: stored, setCookie };
}
