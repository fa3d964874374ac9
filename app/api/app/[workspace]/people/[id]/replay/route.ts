import { sqlOf } from "@/lib/db/raw-sql.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";
import { getReplay } from "@/lib/timeline/replay-frames.ts";

/** The replay's frames: the stitched journey step by step, the ladder, lanes and the drop-off. */
export const GET = withWorkspace({}, async ({ params, workspace, db }) => {
  const id = await liveProfileIdOr404(sqlOf(db), workspace.id, params.id);
  return Response.json(await getReplay(sqlOf(db), workspace, id), { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
