import { inviteInput, inviteMember } from "@/lib/auth/invitations.ts";
import { withSession } from "@/lib/http/handlers.ts";

export const GET = withSession({}, async ({ workspace, db }) => {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { workspaceId: workspace!.id },
      orderBy: { createdAt: "asc" },
      select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    }),
    db.invitation.findMany({
      where: { workspaceId: workspace!.id, acceptedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    }),
  ]);
  return Response.json({ members, invitations });
});

export const POST = withSession(
  { body: inviteInput, ownerOnly: true, maxBytes: 2048 },
  async ({ body, workspace, user, db }) => {
    const ws = await db.workspace.findUniqueOrThrow({ where: { id: workspace!.id }, select: { id: true, name: true } });
    return Response.json(await inviteMember(db, ws, user, body), { status: 201 });
  },
);
