import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { sendBackStatus } from "@/lib/sendback/send-back-status.ts";

/** Settings → Integrations: what the conversion send-back did per network (decision 021). */
export const GET = withWorkspace({}, async ({ workspace, db }) =>
  Response.json({ destinations: await sendBackStatus(db, workspace.id) }),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
