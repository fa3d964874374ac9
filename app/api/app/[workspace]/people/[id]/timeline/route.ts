import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { getTimeline, timelineQuery } from "@/lib/timeline/get-timeline.ts";

/** The person page's timeline, for the logged-in owner (session, workspace membership). */
export const GET = withWorkspace({ query: timelineQuery }, async ({ query, params, workspace, db }) => {
  const id = await liveProfileIdOr404(db, workspace.id, params.id);
  return Response.json(await getTimeline(db, workspace.id, id, query));
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
