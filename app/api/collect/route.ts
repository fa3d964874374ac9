import { corsPreflight, withSiteKey } from "@/lib/http/handlers.ts";
import { KiB } from "@/lib/http/read-body.ts";
import { countPages } from "@/lib/ingest/count-pages.ts";
import { fromCollect } from "@/lib/ingest/from-requests.ts";
import { ingestEvents } from "@/lib/ingest/ingest-events.ts";
import { loadWorkspaceForIngest } from "@/lib/ingest/load-workspace.ts";
import { collectBatch } from "@/lib/ingest/schemas.ts";

/** The browser tracker's endpoint (site key, CORS open, text/plain for sendBeacon). Answers 202. */
export const POST = withSiteKey({ body: collectBatch, maxBytes: 64 * KiB }, async ({ body, workspaceId, db }) => {
  if (!body.deviceId) {
    const counted = await countPages(db, workspaceId, body.events);
    return Response.json({ accepted: counted, duplicates: 0 }, { status: 202 });
  }
  const ws = await loadWorkspaceForIngest(db, workspaceId);
  const results = await ingestEvents(db, ws, fromCollect({ ...body, deviceId: body.deviceId }));
  const duplicates = results.filter((r) => r.duplicate).length;
  return Response.json({ accepted: results.length - duplicates, duplicates }, { status: 202 });
});

export const OPTIONS = corsPreflight;
