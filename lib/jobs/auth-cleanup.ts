import type { Db } from "../db/client.ts";

/** Deletes expired magic-link tokens and invitations, in bounded batches. */
export async function cleanupAuth(db: Db, now = new Date()) {
  const tokens = await db.verificationToken.deleteMany({ where: { expires: { lt: now } } });
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const invitations = await db.invitation.deleteMany({ where: { acceptedAt: null, expiresAt: { lt: dayAgo } } });
  return { verificationTokens: tokens.count, invitations: invitations.count };
}
