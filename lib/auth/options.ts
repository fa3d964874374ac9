import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import EmailProvider from "next-auth/providers/email";
import { appUrl, env } from "../config/env.ts";
import { getDb } from "../db/client.ts";
import { buttonEmail, sendMail } from "../mail/send-mail.ts";
import { onethreadAdapter } from "./adapter.ts";
import { authorizeCredentials } from "./credentials.ts";
import { endSessions, sessionVersionOf } from "./session-version.ts";

/** Owners' login: email + password, or a one-time link by email (Resend, or the dev outbox). JWT sessions. */
export const authOptions: NextAuthOptions = {
  get secret() {
    return env().AUTH_SECRET;
  },
  get adapter() {
    return onethreadAdapter(getDb());
  },
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/login", verifyRequest: "/login?sent=1", error: "/login" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      authorize: (raw, req) => authorizeCredentials(raw, req?.headers),
    }),
    EmailProvider({
      maxAge: 15 * 60,
      from: "OneThread <login@onethread.local>",
      server: { jsonTransport: true },
      normalizeIdentifier: (identifier) => identifier.trim().toLowerCase(),
      async sendVerificationRequest({ identifier, url }) {
        const mail = buttonEmail({
          heading: "Your OneThread login link",
          body: "Click the button to log in. The link works once and expires in 15 minutes.",
          action: "Log in to OneThread",
          url,
        });
        await sendMail(getDb(), { to: identifier, subject: "Log in to OneThread", ...mail });
      },
    }),
  ],
  callbacks: {
    /**
     * A link is sent only to an existing owner or to someone with a pending invitation. Anyone else gets the
     * very answer a sent link gets ("check your inbox": the page says a link is on its way if an account
     * exists), and nothing is sent: the form must not tell who has an account.
     */
    async signIn({ user, account, email }) {
      if (account?.provider !== "email") return true;
      const address = (user.email ?? "").toLowerCase();
      const db = getDb();
      const known = await db.user.findUnique({ where: { email: address }, select: { id: true } });
      if (known) return true;
      const invited = await db.invitation.findFirst({
        where: { email: address, acceptedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true },
      });
      if (invited) return true;
      // The URL next-auth answers after sending a link (core/lib/email/signin: `${url}/verify-request?…`),
      // absolute as next-auth's client parses it with `new URL()`.
      return email?.verificationRequest
        ? `${appUrl()}/api/auth/verify-request?${new URLSearchParams({ provider: "email", type: "email" })}`
        : false;
    },
    /**
     * At sign-in the token gets the owner's session version; on every later read a token whose version is no
     * longer the owner's (logged out, password changed, user gone) becomes an empty one: no `sub`, so no
     * session (getSessionUser() answers null, proxy.ts sends to /login), and the cookie is rewritten without it.
     */
    async jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sv = (await sessionVersionOf(getDb(), user.id)) ?? 0;
        return token;
      }
      if (!token.sub) return token;
      const current = await sessionVersionOf(getDb(), token.sub);
      if (current === null || current !== (token.sv ?? 0)) return { ended: true };
      return token;
    },
    async session({ session, token }) {
      if (!token.sub) return { expires: session.expires };
      if (session.user) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
  events: {
    /** Logout ends this session and every other one of the owner (see lib/auth/session-version.ts). */
    async signOut({ token }) {
      if (token?.sub) await endSessions(getDb(), token.sub);
    },
  },
};
