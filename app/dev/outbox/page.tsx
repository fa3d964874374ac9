import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session.ts";
import { devOutboxEnabled, env } from "@/lib/config/env.ts";
import { getDb } from "@/lib/db/client.ts";
import { visibleOutboxMail } from "@/lib/mail/outbox.ts";

export const metadata: Metadata = { title: "Dev outbox" };
export const dynamic = "force-dynamic";

/**
 * Mail that would have been sent through Resend, when no RESEND_API_KEY is set: a development tool, on under
 * `npm run dev` or with DEV_OUTBOX=1 (devOutboxEnabled). A visitor sees only the mail of workspaces they are a
 * member of; login links (mail of no workspace) only under `npm run dev`.
 */
export default async function Outbox() {
  if (!devOutboxEnabled()) notFound();
  const user = await getSessionUser();
  const withLoginLinks = env().NODE_ENV === "development";
  const mails = await visibleOutboxMail(getDb(), user?.id ?? null, { withLoginLinks });
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-6 py-10">
      <h1 className="text-2xl font-semibold">Dev outbox</h1>
      <p className="text-sm text-slate-500">
        Without RESEND_API_KEY, mail lands here instead of being sent. Shown: the mail of your workspaces
        {withLoginLinks ? " and login links (development only)" : ""}. Newest first.
      </p>
      {!user && !withLoginLinks ? <p className="text-slate-500">Log in to see the mail of your workspaces.</p> : null}
      {mails.length === 0 ? <p className="text-slate-500">No mail yet.</p> : null}
      {mails.map((m) => (
        <article key={m.id} className="rounded-xl border border-slate-200 bg-white p-5" data-testid="outbox-mail">
          <header className="mb-3 text-sm">
            <p className="font-semibold">{m.subject}</p>
            <p className="text-slate-500">
              To {m.to} · {m.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
            </p>
          </header>
          <pre className="whitespace-pre-wrap break-all font-sans text-sm text-slate-700">
            {m.text.split(/(https?:\/\/\S+)/g).map((part, i) =>
              /^https?:\/\//.test(part) ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed string
                <a key={i} href={part} className="text-brand-600 underline">
                  {part}
                </a>
              ) : (
                part
              ),
            )}
          </pre>
        </article>
      ))}
    </main>
  );
}
