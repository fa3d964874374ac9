import { z } from "zod";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { setWeeklySummary } from "@/lib/summary/summary-subscription.ts";

const body = z.object({ on: z.boolean() }).strict();

/** The member's own switch for the Friday summary (decision 018): each member decides for themselves. */
export const PUT = withWorkspace({ body, maxBytes: 256 }, async ({ body, workspace, user, db }) => {
  await setWeeklySummary(db, workspace.id, user.id, body.on);
  return Response.json({ weeklySummary: body.on });
});

export const { GET, POST, PATCH, DELETE } = methodsOtherThan("PUT");
