import { jsonAnswer } from "@/lib/http/answer.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { KiB } from "@/lib/http/read-body.ts";
import { corsPreflight, withSiteKey } from "@/lib/http/with-site-key.ts";
import { collectEvents } from "@/lib/ingest/collect-events.ts";
import { kickDrainer } from "@/lib/ingest/drain-ingest-log.ts";
import { collectBodySchema } from "@/lib/ingest/schemas.ts";

/**
 * The browser tracker's endpoint (site key, CORS open, text/plain for sendBeacon): 202 once its events are
 * committed to the ingest log. The process drains the log at once; on a serverless platform the function is
 * kept alive until it has, without skipping the drainer's gathering. `npm start` answers it through the
 * handler's `direct` form, beside Next's pipeline (scripts/serve.ts, decisions 013 and 023).
 */
export const POST = withSiteKey(
  { body: collectBodySchema, maxBytes: 64 * KiB },
  async ({ headers, body, workspaceId, db, afterAnswer }) => {
    const { accepted, duplicates, setCookie } = await collectEvents(db, workspaceId, body, headers);
    afterAnswer(() => kickDrainer(db));
    return jsonAnswer(
      202,
      { accepted, duplicates },
      { "Cache-Control": "no-store, no-transform", ...(setCookie ? { "Set-Cookie": setCookie } : {}) },
    );
  },
);

export const OPTIONS = corsPreflight;
export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
