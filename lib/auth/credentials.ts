import { z } from "zod";
import { verifyAgainstDummy, verifyPassword } from "../crypto/password.ts";
import { getDb } from "../db/client.ts";
import { clientKey } from "../limits/client-address.ts";
import { loginSucceeded } from "./login-throttle.ts";

const credentials = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) });

/**
 * next-auth's Credentials `authorize`: the owner for a right email + password, else null. The attempt was
 * already counted by the login route (lib/http/with-login-throttle.ts); a success gives it back. An unknown address,
 * or an owner without a password, still costs one scrypt check, so timing does not tell who has an account.
 */
export async function authorizeCredentials(
  raw: Record<string, unknown> | undefined,
  headers: Record<string, string | string[] | undefined> | undefined,
) {
  const parsed = credentials.safeParse(raw);
  if (!parsed.success) return null;
  const email = parsed.data.email.trim().toLowerCase();
  const user = await getDb().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const ok = user?.passwordHash
    ? await verifyPassword(parsed.data.password, user.passwordHash)
    : await verifyAgainstDummy(parsed.data.password);
  if (!ok || !user) return null;
  loginSucceeded({ email, client: clientKey(toHeaders(headers)) });
  return { id: user.id, email: user.email, name: user.name };
}

function toHeaders(raw: Record<string, string | string[] | undefined> | undefined) {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw ?? {})) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
  return h;
}
