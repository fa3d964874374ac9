import { sqlOf } from "@/lib/db/raw-sql.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { getTimeline, timelineQuery } from "@/lib/timeline/get-timeline.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";

/** A person's events oldest first, a page at a time (opaque cursor); a merged-away id answers the survivor's. */
export const GET = withApiKey(
  { scope: "profiles:read", query: timelineQuery },
  async ({ query, params, workspaceId, db }) => {
    const id = await liveProfileIdOr404(sqlOf(db), workspaceId, params.id);
    return Response.json(await getTimeline(sqlOf(db), workspaceId, id, query), { headers: NO_STORE });
  },
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
