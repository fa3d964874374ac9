import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitation } from "@/components/auth/accept-invitation.tsx";
import { findInvitation } from "@/lib/auth/invitations.ts";
import { getSessionUser } from "@/lib/auth/session.ts";
import { getDb } from "@/lib/db/client.ts";
import { AppError } from "@/lib/errors.ts";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitation(getDb(), token).catch((e: unknown) => {
    if (e instanceof AppError) return null;
    throw e;
  });
  const user = await getSessionUser();
  const here = `/invite/${token}`;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-4 rounded-2xl border border-slate-200 bg-white p-7 shadow-sm">
        {!invitation ? (
          <>
            <h1 className="text-xl font-semibold">This invitation is not valid</h1>
            <p className="text-sm text-slate-600">
              It was already used, or it expired. Ask the workspace owner for a new one.
            </p>
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold">Join {invitation.workspace.name}</h1>
            <p className="text-sm text-slate-600">
              This invitation is for <strong>{invitation.email}</strong> as{" "}
              {invitation.role === "owner" ? "an owner" : "a member"}.
            </p>
            {user && user.email === invitation.email ? (
              <AcceptInvitation token={token} />
            ) : (
              <div className="space-y-2 text-sm">
                {user ? (
                  <p className="text-amber-700">
                    You are logged in as {user.email}. Log out and use {invitation.email} to accept.
                  </p>
                ) : null}
                <Link
                  className="block rounded-lg bg-brand-600 px-4 py-2 text-center font-medium text-white"
                  href={`/signup?email=${encodeURIComponent(invitation.email)}&callbackUrl=${encodeURIComponent(here)}`}
                >
                  Create an account
                </Link>
                <Link
                  className="block rounded-lg px-4 py-2 text-center font-medium text-slate-700 ring-1 ring-slate-300"
                  href={`/login?callbackUrl=${encodeURIComponent(here)}`}
                >
                  I already have an account
                </Link>
              </div>
            )}
          </>
        )}
      </div>
    </main>
  );
}
