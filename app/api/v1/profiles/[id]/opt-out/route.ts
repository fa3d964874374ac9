import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { optOut } from "@/lib/privacy/opt-out.ts";
import { optOutBody } from "@/lib/privacy/opt-out-schema.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";

/** P7: the person is opted out of these channels on every identifier, for every later event and send. */
export const POST = withApiKey(
  { scope: "profiles:write", body: optOutBody, maxBytes: 4096 },
  async ({ body, params, workspaceId, db }) => {
    const { optedOut } = await optOut(db, workspaceId, params.id ?? "", body.channels, "api");
    return Response.json({ optedOut }, { headers: NO_STORE });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
