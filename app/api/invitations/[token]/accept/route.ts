import { acceptInvitation } from "@/lib/auth/invitations.ts";
import { withSession } from "@/lib/http/handlers.ts";

export const POST = withSession({}, async ({ params, user, db }) =>
  Response.json({ workspace: await acceptInvitation(db, params.token ?? "", user) }),
);
