import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { deliveriesQuery, listDeliveries } from "@/lib/integrations/list-deliveries.ts";

/** The delivery log, newest first, optionally of one integration (`?provider=inbound:cal`). */
export const GET = withWorkspace({ query: deliveriesQuery }, async ({ query, workspace, db }) =>
  Response.json(await listDeliveries(db, workspace.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
