import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import type { Db } from "../db/client.ts";

/**
 * The part of a next-auth v4 adapter that email sign-in needs with JWT sessions: users and one-time
 * verification tokens. (@auth/prisma-adapter targets @auth/core types and Prisma ≤ 6; this is 60 lines.)
 * Sessions live in the JWT, so the database session methods are not used.
 */
export function onethreadAdapter(db: Db): Adapter {
  const toUser = (u: {
    id: string;
    email: string;
    name: string | null;
    emailVerified: Date | null;
    image: string | null;
  }): AdapterUser => ({
    id: u.id,
    email: u.email,
    name: u.name,
    emailVerified: u.emailVerified,
    image: u.image,
  });
  const select = { id: true, email: true, name: true, emailVerified: true, image: true } as const;
  return {
    async createUser(user: Omit<AdapterUser, "id">) {
      return toUser(
        await db.user.create({
          data: {
            email: user.email.toLowerCase(),
            name: user.name ?? null,
            emailVerified: user.emailVerified,
            image: user.image ?? null,
          },
          select,
        }),
      );
    },
    async getUser(id) {
      const u = await db.user.findUnique({ where: { id }, select }).catch(() => null);
      return u ? toUser(u) : null;
    },
    async getUserByEmail(email) {
      const u = await db.user.findUnique({ where: { email: email.toLowerCase() }, select });
      return u ? toUser(u) : null;
    },
    async getUserByAccount({ provider, providerAccountId }) {
      const account = await db.account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        select: { user: { select } },
      });
      return account ? toUser(account.user) : null;
    },
    async updateUser(user) {
      return toUser(
        await db.user.update({
          where: { id: user.id },
          data: { name: user.name, emailVerified: user.emailVerified, image: user.image },
          select,
        }),
      );
    },
    async linkAccount(account: AdapterAccount) {
      await db.account.create({
        data: {
          userId: account.userId,
          type: account.type,
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          access_token: account.access_token ?? null,
          refresh_token: account.refresh_token ?? null,
          expires_at: account.expires_at ?? null,
          token_type: account.token_type ?? null,
          scope: account.scope ?? null,
          id_token: account.id_token ?? null,
          session_state: account.session_state ?? null,
        },
      });
    },
    async createVerificationToken(token) {
      await db.verificationToken.create({ data: token });
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      // One use only: delete and return in one statement, so two clicks cannot both sign in.
      const rows = await db.$queryRaw<{ identifier: string; token: string; expires: Date }[]>`
        DELETE FROM "VerificationToken" WHERE identifier = ${identifier} AND token = ${token}
        RETURNING identifier, token, expires`;
      return rows[0] ?? null;
    },
    async createSession() {
      throw new Error("Database sessions are not used (JWT strategy).");
    },
    async getSessionAndUser() {
      return null;
    },
    async updateSession() {
      return null;
    },
    async deleteSession() {},
  };
}
