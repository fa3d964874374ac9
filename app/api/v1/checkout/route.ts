import { createCheckout } from "@/lib/checkout/create-checkout.ts";
import { checkoutSchema } from "@/lib/checkout/schemas.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";

/** A deposit link on the workspace's Stripe (API.md): `201 {"url", "sessionId"}`; 409 when Stripe is not connected. */
export const POST = withApiKey({ scope: "checkout:write", body: checkoutSchema }, async ({ body, workspaceId, db }) =>
  Response.json(await createCheckout(db, workspaceId, body), { status: 201, headers: { "Cache-Control": "no-store" } }),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
