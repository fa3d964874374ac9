import { corsPreflight, withSiteKey } from "@/lib/http/handlers.ts";
import { KiB } from "@/lib/http/read-body.ts";
import { countPages } from "@/lib/ingest/count-pages.ts";
import { fromCollect } from "@/lib/ingest/from-requests.ts";
import { ingestCoalesced } from "@/lib/ingest/ingest-coalesced.ts";
import { validateEvents } from "@/lib/ingest/ingest-events.ts";
import { loadWorkspaceForIngest } from "@/lib/ingest/load-workspace.ts";
import { collectBodySchema } from "@/lib/ingest/schemas.ts";

/** The browser tracker's endpoint (site key, CORS open, text/plain for sendBeacon). Answers 202. */
export const POST = withSiteKey({ body: collectBodySchema, maxBytes: 64 * KiB }, async ({ body, workspaceId, db }) => {
  const ws = await loadWorkspaceForIngest(db, workspaceId);
  if (!body.deviceId) {
    // A visitor who refused storage: anonymous page counts only, no profile (API.md).
    await countPages(db, workspaceId, body.events, ws.timezone);
    return Response.json({ accepted: body.events.length, duplicates: 0 }, { status: 202 });
  }
  const results = await ingestCoalesced(db, ws, validateEvents(fromCollect({ ...body, deviceId: body.deviceId })));
  const duplicates = results.filter((r) => r.duplicate).length;
  return Response.json(
    { accepted: results.length - duplicates, duplicates },
    { status: 202, headers: { "Cache-Control": "no-store, no-transform" } },
  );
});

export const OPTIONS = corsPreflight;
