"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";

const ERRORS: Record<string, string> = {
  Verification: "That login link was already used or has expired. Ask for a new one.",
  AccessDenied: "That login was refused.",
  CredentialsSignin: "Wrong email or password.",
  EmailSignin: "We could not send the login email. Try again in a moment, or log in with your password.",
  // A 429 from lib/http/with-login-throttle.ts: the account (or the network) is locked for a while.
  RateLimited: "Too many failed logins: wait a few minutes before trying again.",
};

/** Shown instead of the link button when this server has no way to send mail (no RESEND_API_KEY). */
export const NO_EMAIL_LINKS =
  "Login links are off: email isn't set up on this server (ask the admin to set RESEND_API_KEY). Log in with your password.";

/** Password login, or a one-time link by email (when the server can send mail). */
export function LoginForm({ canEmailLinks = true }: { canEmailLinks?: boolean }) {
  const router = useRouter();
  const params = useSearchParams();
  const callbackUrl = safeCallback(params.get("callbackUrl"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  // A locked account can still prove its inbox, where this server can send mail.
  const message = (code: string | null | undefined) =>
    code === "RateLimited" && canEmailLinks
      ? `${ERRORS.RateLimited} Or use a login link by email.`
      : (ERRORS[code ?? ""] ?? null);
  const [error, setError] = useState<string | null>(
    params.get("error") ? (message(params.get("error")) ?? "Login failed.") : null,
  );
  const [sent, setSent] = useState(params.get("sent") === "1");

  async function withPassword(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { email, password, redirect: false });
    setBusy(false);
    if (res?.ok && !res.error) router.push(callbackUrl);
    else setError(message(res?.error) ?? ERRORS.CredentialsSignin!);
  }

  async function withLink() {
    if (!email) {
      setError("Enter your email address first.");
      return;
    }
    setBusy(true);
    setError(null);
    const res = await signIn("email", { email, redirect: false, callbackUrl });
    setBusy(false);
    // An unknown address gets the same answer as a known one (nothing is sent to it): only real failures
    // come back as an error.
    const refused = res?.error ?? (res?.url ? new URL(res.url, window.location.href).searchParams.get("error") : null);
    if (refused) setError(message(refused) ?? "Login failed.");
    else setSent(true);
  }

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold">Log in</h1>
        <p className="mt-1 text-sm text-slate-500">See every customer's whole journey on one timeline.</p>
      </div>
      {sent ? (
        <Alert tone="success">
          Check your inbox: if an account exists for that email, a login link is on its way. It works once, for 15
          minutes.
        </Alert>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <form onSubmit={withPassword} className="space-y-4">
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" className="w-full" disabled={busy || !password}>
          Log in
        </Button>
      </form>
      {canEmailLinks ? (
        <>
          <div className="flex items-center gap-3 text-xs text-slate-400">
            <span className="h-px flex-1 bg-slate-200" /> or <span className="h-px flex-1 bg-slate-200" />
          </div>
          <Button variant="secondary" className="w-full" onClick={withLink} disabled={busy}>
            Email me a login link
          </Button>
        </>
      ) : (
        <p className="text-center text-sm text-slate-500" data-testid="no-email-links">
          {NO_EMAIL_LINKS}
        </p>
      )}
      <p className="text-center text-sm text-slate-500">
        New here?{" "}
        <Link
          className="font-medium text-brand-600 hover:underline"
          href={`/signup${callbackUrl !== "/app" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}
        >
          Create a workspace
        </Link>
      </p>
    </div>
  );
}

/** Only same-site paths: a login page must not become an open redirect. */
export function safeCallback(raw: string | null) {
  if (!raw) return "/app";
  try {
    const url = new URL(raw, "http://x.invalid");
    if (url.origin !== "http://x.invalid") {
      return typeof window !== "undefined" && raw.startsWith(window.location.origin)
        ? raw.slice(window.location.origin.length) || "/app"
        : "/app";
    }
    return url.pathname.startsWith("//") ? "/app" : url.pathname + url.search;
  } catch {
    return "/app";
  }
}
