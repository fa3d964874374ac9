import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { listPrivacyRequests, privacyRequestsQuery, requestView } from "@/lib/privacy/list-privacy-requests.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";

/** The privacy request log (P12): every export, erasure and opt-out, with received, due and completed times. */
export const GET = withApiKey(
  { scope: "profiles:read", query: privacyRequestsQuery },
  async ({ query, workspaceId, db }) => {
    const { requests, nextCursor } = await listPrivacyRequests(db, workspaceId, query);
    return Response.json({ requests: requests.map(requestView), nextCursor }, { headers: NO_STORE });
  },
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
