import { sqlOf } from "@/lib/db/raw-sql.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { liveProfileIdOr404 } from "@/lib/identity/live-profile-id.ts";
import { getJourneyPage, journeyQuery } from "@/lib/timeline/get-journey.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";

/** The person page's journey, for a logged-in member: a keyset page of events in plain words. */
export const GET = withWorkspace({ query: journeyQuery }, async ({ query, params, workspace, db }) => {
  const id = await liveProfileIdOr404(sqlOf(db), workspace.id, params.id);
  return Response.json(await getJourneyPage(sqlOf(db), workspace.id, id, query), { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
