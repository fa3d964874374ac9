import { z } from "zod";
import { sqlOf } from "@/lib/db/raw-sql.ts";
import { withApiKey } from "@/lib/http/handlers.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { SOURCES } from "@/lib/ingest/schemas.ts";
import { getTimeline } from "@/lib/timeline/get-timeline.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";

const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional(),
  source: z.enum(SOURCES).optional(),
});

/** A person's events oldest first, a page at a time (opaque cursor); a merged-away id answers the survivor's. */
export const GET = withApiKey({}, async ({ req, params, workspaceId, db }) => {
  const q = query.parse(Object.fromEntries(new URL(req.url).searchParams));
  const id = await liveProfileIdOr404(sqlOf(db), workspaceId, params.id);
  return Response.json(await getTimeline(sqlOf(db), workspaceId, id, q), { headers: NO_STORE });
});
