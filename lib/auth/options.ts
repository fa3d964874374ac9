import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import EmailProvider from "next-auth/providers/email";
import { appUrl, env } from "../config/env.ts";
import { getDb } from "../db/client.ts";
import { buttonEmail, sendMail } from "../mail/send-mail.ts";
import { onethreadAdapter } from "./adapter.ts";
import { authorizeCredentials } from "./credentials.ts";

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
    async jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
