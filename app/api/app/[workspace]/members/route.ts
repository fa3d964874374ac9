import { inviteInput, inviteMember } from "@/lib/auth/invitations.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { listMembers } from "@/lib/workspaces/list-members.ts";

export const GET = withWorkspace({}, async ({ workspace, db }) => Response.json(await listMembers(db, workspace.id)));

export const POST = withWorkspace(
  { body: inviteInput, ownerOnly: true, maxBytes: 2048 },
  async ({ body, workspace, user, db }) =>
    Response.json(await inviteMember(db, workspace, user, body), { status: 201 }),
);

export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
