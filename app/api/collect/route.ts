import { afterResponse } from "@/lib/http/after-response.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { KiB } from "@/lib/http/read-body.ts";
import { corsPreflight, withSiteKey } from "@/lib/http/with-site-key.ts";
import { collectEvents } from "@/lib/ingest/collect-events.ts";
import { kickDrainer } from "@/lib/ingest/drain-ingest-log.ts";
import { collectBodySchema } from "@/lib/ingest/schemas.ts";

/**
 * The browser tracker's endpoint (site key, CORS open, text/plain for sendBeacon): 202 once its events are
 * committed to the ingest log. The process drains the log at once; `after` keeps a serverless function
 * alive until it has, without skipping the drainer's gathering (on a long-running server the wait is shared).
 */
export const POST = withSiteKey(
  { body: collectBodySchema, maxBytes: 64 * KiB },
  async ({ req, body, workspaceId, db }) => {
    const { accepted, duplicates, setCookie } = await collectEvents(db, workspaceId, body, req.headers);
    const headers = new Headers({ "Cache-Control": "no-store, no-transform" });
    if (setCookie) headers.set("Set-Cookie", setCookie);
    afterResponse(() => kickDrainer(db));
    return Response.json({ accepted, duplicates }, { status: 202, headers });
  },
);

export const OPTIONS = corsPreflight;
export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
