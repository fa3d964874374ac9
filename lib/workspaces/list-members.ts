import type { Tx } from "../db/client.ts";

/** The workspace's members (oldest first) and its pending invitations (newest first). */
export async function listMembers(db: Tx, workspaceId: string) {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { workspaceId },
      orderBy: { createdAt: "asc" },
      select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    }),
    db.invitation.findMany({
      where: { workspaceId, acceptedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    }),
  ]);
  return { members, invitations };
}
