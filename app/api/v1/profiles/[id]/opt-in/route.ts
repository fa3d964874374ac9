import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { optIn } from "@/lib/privacy/opt-out.ts";
import { optOutBody } from "@/lib/privacy/opt-out-schema.ts";
import { NO_STORE } from "@/lib/timeline/profile-view.ts";

/** Undoes opt-outs of these channels (`all`: every one); answers what still stands. */
export const POST = withApiKey(
  { scope: "profiles:write", body: optOutBody, maxBytes: 4096 },
  async ({ body, params, workspaceId, db }) => {
    const { optedOut } = await optIn(db, workspaceId, params.id ?? "", body.channels, "api");
    return Response.json({ optedOut }, { headers: NO_STORE });
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
