import { hashPassword } from "../crypto/password.ts";
import type { Db } from "../db/client.ts";

/**
 * Sessions are JWTs in a cookie, valid for 30 days on their own. To end them before that, each carries the
 * owner's `User.sessionVersion` from when it was issued (`sv`); bumping the version ends every session issued
 * before (all devices: logout means "log out everywhere"). next-auth's jwt callback compares on every read
 * (lib/auth/options.ts), so getSessionUser() and everything built on it sees a stale cookie as no session.
 */

/** The owner's current session version, or null if there is no such user any more. */
export async function sessionVersionOf(db: Db, userId: string): Promise<number | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  return user?.sessionVersion ?? null;
}

/** Ends every session of this owner issued so far (logout, password change). */
export async function endSessions(db: Db, userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/** Sets a new password and ends every existing session: a stolen cookie must not outlive a password change. */
export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.user.update({
    where: { id: userId },
    data: { passwordHash, sessionVersion: { increment: 1 } },
  });
}
