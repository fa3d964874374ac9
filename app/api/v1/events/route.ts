import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { MiB } from "@/lib/http/read-body.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { ingestCoalesced } from "@/lib/ingest/ingest-coalesced.ts";
import { loadWorkspaceForIngest } from "@/lib/ingest/load-workspace.ts";
import { eventsBodySchema, type IngestEvent } from "@/lib/ingest/schemas.ts";

/** Server-side signals (API.md): validated whole, committed before the answer, results in request order. */
export const POST = withApiKey(
  { scope: "events:write", body: eventsBodySchema, maxBytes: MiB },
  async ({ body, workspaceId, db }) => {
    const ws = await loadWorkspaceForIngest(db, workspaceId);
    const results = await ingestCoalesced(db, ws, body.events as IngestEvent[]);
    // no-transform: a server-to-server answer is not worth gzipping on the ingest path's CPU.
    return Response.json({ results }, { headers: { "Cache-Control": "no-store, no-transform" } });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
