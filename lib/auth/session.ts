import { getServerSession } from "next-auth";
import { authOptions } from "./options.ts";

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

/**
 * The logged-in owner of this request (route handler or server component), or null. A session ended by
 * logout or a password change is null too: next-auth's jwt callback checks the session version on every read
 * (lib/auth/options.ts, lib/auth/session-version.ts), so callers need nothing else.
 */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user as { id?: string; email?: string | null; name?: string | null } | undefined;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? null };
}
