import { acceptInvitation } from "@/lib/auth/invitations.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withSession } from "@/lib/http/with-session.ts";

export const POST = withSession({}, async ({ params, user, db }) =>
  Response.json({ workspace: await acceptInvitation(db, params.token ?? "", user) }),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
