import type { Tx } from "../db/client.ts";

/**
 * The dev-outbox mail a visitor may read (app/dev/outbox/page.tsx): the mail of the workspaces the user is a
 * member of (invitations), and — only when `withLoginLinks`, i.e. under `npm run dev`, where the developer is
 * the only user — the mail that belongs to no workspace (login links), which would otherwise let anyone log in
 * as anyone. Newest first.
 */
export async function visibleOutboxMail(db: Tx, userId: string | null, opts: { withLoginLinks: boolean }) {
  const memberships = userId ? await db.membership.findMany({ where: { userId }, select: { workspaceId: true } }) : [];
  const workspaceIds = memberships.map((m) => m.workspaceId);
  return db.outboxEmail.findMany({
    where: {
      OR: [{ workspaceId: { in: workspaceIds } }, ...(opts.withLoginLinks ? [{ workspaceId: null }] : [])],
    },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
}
