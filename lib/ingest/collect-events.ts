import type { Db } from "../db/client.ts";
import { prepareIdentity } from "../identity/prepare-identity.ts";
import { consentChoicesOf, liftWithdrawal, recordConsent } from "../privacy/consent-records.ts";
import { countryOf } from "../privacy/consent-region.ts";
import { deviceCookieFor } from "../privacy/first-party-cookie.ts";
import { gpcHeaderOf, gpcRequested, markGpc } from "../privacy/global-privacy-control.ts";
import { isBot } from "../tracker/pure.ts";
import { countPages } from "./count-pages.ts";
import { fromCollect } from "./from-requests.ts";
import { ingestCoalesced } from "./ingest-coalesced.ts";
import { validateEvents } from "./ingest-events.ts";
import { identityContext, loadWorkspaceForIngest } from "./load-workspace.ts";
import type { CollectBody } from "./schemas.ts";

export interface CollectResult {
  accepted: number;
  duplicates: number;
  /** The device cookie to set when the request came through the business's own domain, else null. */
  setCookie: string | null;
}

/**
 * One request of the browser tracker (POST /api/collect). Around the ingestion of the batch: a grant lifts the
 * device's earlier withdrawal first; afterwards every consent choice is recorded and a withdrawal refuses the
 * device's later events (P3, P4), GPC marks the person (P5), and a request that came through the business's
 * own domain gets the device cookie set by the server.
 */
export async function collectEvents(
  db: Db,
  workspaceId: string,
  body: CollectBody,
  headers: Headers,
): Promise<CollectResult> {
  // The tracker stays silent for bots; a crawler that runs it anyway, or replays its requests, is not
  // counted either (the same user-agent check, on the server).
  if (isBot(headers.get("user-agent") ?? "")) return { accepted: 0, duplicates: 0, setCookie: null };
  const ws = await loadWorkspaceForIngest(db, workspaceId);
  if (!body.deviceId) {
    // A visitor who refused storage: anonymous page counts only, no profile (API.md).
    await countPages(db, workspaceId, body.events, ws.timezone);
    return { accepted: body.events.length, duplicates: 0, setCookie: null };
  }
  const deviceId = body.deviceId;
  const events = validateEvents(fromCollect({ ...body, deviceId }));
  const deviceHash = prepareIdentity({ deviceId }, identityContext(ws)).identifiers[0]?.hash ?? null;
  const choices = consentChoicesOf(body.events);
  if (deviceHash && choices.length) await liftWithdrawal(db, workspaceId, deviceHash, choices);

  const all = await ingestCoalesced(db, ws, events);
  // After the tracker's own events come the ones derived from them (ads/ad_click): not counted in the answer.
  const results = all.slice(0, body.events.length);
  const profileOf = new Map(results.map((r) => [r.id, r.profileId]));
  const withdrawn = await recordConsent(
    db,
    {
      workspaceId,
      deviceHash,
      profileOf: (id) => profileOf.get(id) ?? null,
      country: countryOf(headers),
      gpcHeader: gpcHeaderOf(headers),
    },
    choices,
  );
  if (gpcRequested(headers, body.events)) {
    await markGpc(
      db,
      workspaceId,
      all.map((r) => r.profileId),
    );
  }
  const duplicates = results.filter((r) => r.duplicate).length;
  const setCookie = await deviceCookieFor(db, headers, { workspaceId, deviceId, deviceHash, withdrawn });
  return { accepted: results.length - duplicates, duplicates, setCookie };
}
