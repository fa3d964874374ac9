import { corsPreflight, withSiteKey } from "@/lib/http/handlers.ts";
import { KiB } from "@/lib/http/read-body.ts";
import { prepareIdentity } from "@/lib/identity/prepare-identity.ts";
import { countPages } from "@/lib/ingest/count-pages.ts";
import { fromCollect } from "@/lib/ingest/from-requests.ts";
import { ingestCoalesced } from "@/lib/ingest/ingest-coalesced.ts";
import { validateEvents } from "@/lib/ingest/ingest-events.ts";
import { identityContext, loadWorkspaceForIngest } from "@/lib/ingest/load-workspace.ts";
import { collectBodySchema } from "@/lib/ingest/schemas.ts";
import { consentChoicesOf, liftWithdrawal, recordConsent } from "@/lib/privacy/consent-records.ts";
import { countryOf } from "@/lib/privacy/consent-region.ts";
import { deviceCookieFor } from "@/lib/privacy/first-party-cookie.ts";
import { gpcHeaderOf, gpcRequested, markGpc } from "@/lib/privacy/global-privacy-control.ts";
import { isBot } from "@/lib/tracker/pure.ts";

/**
 * The browser tracker's endpoint (site key, CORS open, text/plain for sendBeacon). Answers 202. Around the
 * ingestion of the batch: a grant lifts the device's earlier withdrawal first; afterwards every consent
 * choice is recorded and a withdrawal refuses the device's later events (P3, P4), GPC marks the person (P5),
 * and a request that came through the business's own domain gets the device cookie set by the server.
 */
export const POST = withSiteKey(
  { body: collectBodySchema, maxBytes: 64 * KiB },
  async ({ req, body, workspaceId, db }) => {
    // The tracker stays silent for bots; a crawler that runs it anyway, or replays its requests, is not
    // counted either (the same user-agent check, on the server).
    if (isBot(req.headers.get("user-agent") ?? "")) {
      return Response.json({ accepted: 0, duplicates: 0 }, { status: 202 });
    }
    const ws = await loadWorkspaceForIngest(db, workspaceId);
    if (!body.deviceId) {
      // A visitor who refused storage: anonymous page counts only, no profile (API.md).
      await countPages(db, workspaceId, body.events, ws.timezone);
      return Response.json({ accepted: body.events.length, duplicates: 0 }, { status: 202 });
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
        country: countryOf(req.headers),
        gpcHeader: gpcHeaderOf(req.headers),
      },
      choices,
    );
    if (gpcRequested(req.headers, body.events)) {
      await markGpc(
        db,
        workspaceId,
        all.map((r) => r.profileId),
      );
    }

    const duplicates = results.filter((r) => r.duplicate).length;
    const headers = new Headers({ "Cache-Control": "no-store, no-transform" });
    const cookie = await deviceCookieFor(db, req.headers, { workspaceId, deviceId, deviceHash, withdrawn });
    if (cookie) headers.set("Set-Cookie", cookie);
    return Response.json({ accepted: results.length - duplicates, duplicates }, { status: 202, headers });
  },
);

export const OPTIONS = corsPreflight;
