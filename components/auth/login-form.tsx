"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";

const ERRORS: Record<string, string> = {
  Verification: "That login link was already used or has expired. Ask for a new one.",
  AccessDenied: "That login was refused.",
  CredentialsSignin: "Wrong email or password.",
  EmailSignin: "We could not send the login email. Try again in a moment, or log in with your password.",
};

/** Shown instead of the link button when this server has no way to send mail (no RESEND_API_KEY). */
export const NO_EMAIL_LINKS =
  "Login links are off: email isn't set up on this server (ask the admin to set RESEND_API_KEY). Log in with your password.";

/** The query parameters that carry a message for this page (next-auth's `error`, ours): read once, then dropped. */
const MESSAGE_PARAMS = ["error", "sent", "loggedOut", "retryAfter"];

/** "30 seconds", "2 minutes". */
const duration = (s: number) =>
  s < 90 ? `${s} second${s === 1 ? "" : "s"}` : `${Math.ceil(s / 60)} minute${Math.ceil(s / 60) === 1 ? "" : "s"}`;

/**
 * Password login, or a one-time link by email (when the server can send mail). A message describes the last
 * thing that happened and goes when the next thing starts: the form is edited or sent again, a lock runs out,
 * or the page is reloaded (the message parameters leave the address bar once shown).
 */
export function LoginForm({ canEmailLinks = true }: { canEmailLinks?: boolean }) {
  const router = useRouter();
  const params = useSearchParams();
  const callbackUrl = safeCallback(params.get("callbackUrl"));
  // The fields are the browser's own (uncontrolled): React never writes their values, so nothing typed before or
  // while the page's script takes over is reset. Their values are read when the form is used.
  const [hasPassword, setHasPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(() => {
    const code = params.get("error");
    return code && code !== "RateLimited" ? (ERRORS[code] ?? "Login failed.") : null;
  });
  const [lockedUntil, setLockedUntil] = useState<number | null>(() =>
    params.get("error") === "RateLimited" ? lockEnd(params.get("retryAfter")) : null,
  );
  const [now, setNow] = useState(() => Date.now());
  const [sent, setSent] = useState(params.get("sent") === "1");
  const [loggedOut, setLoggedOut] = useState(params.get("loggedOut") === "1");

  const form = useRef<HTMLFormElement>(null);
  const typed = (name: string) => {
    const el = form.current?.elements.namedItem(name);
    return el instanceof HTMLInputElement ? el.value : "";
  };
  // A password typed before the page's script ran (a slow connection, a quick hand) enables the button.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount; `typed` only reads the DOM.
  useEffect(() => {
    if (typed("password")) setHasPassword(true);
  }, []);
  // Once read, the message parameters leave the URL: a reload or a later visit must not show them again.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!MESSAGE_PARAMS.some((k) => url.searchParams.has(k))) return;
    for (const k of MESSAGE_PARAMS) url.searchParams.delete(k);
    window.history.replaceState(window.history.state, "", url.pathname + url.search);
  }, []);
  // A lock's message counts down, and says so when it is over.
  useEffect(() => {
    if (lockedUntil === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [lockedUntil]);

  const clear = () => {
    setError(null);
    setSent(false);
    setLoggedOut(false);
    if (lockedUntil !== null && lockedUntil <= Date.now()) setLockedUntil(null);
  };
  const refused = (code: string | null | undefined, url?: string | null) => {
    if (code === "RateLimited") {
      const retry = url ? new URL(url, window.location.href).searchParams.get("retryAfter") : null;
      setLockedUntil(lockEnd(retry));
      setNow(Date.now());
    } else setError(ERRORS[code ?? ""] ?? "Login failed.");
  };

  async function withPassword(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    clear();
    // The callback is this page's target, not its own address: next-auth reads an `error` in the answer's
    // URL as the result, so a login from /login?error=Verification succeeded and still showed that error.
    const res = await signIn("credentials", {
      email: typed("email"),
      password: typed("password"),
      redirect: false,
      callbackUrl,
    });
    setBusy(false);
    if (res?.ok && !res.error) {
      setLockedUntil(null);
      router.push(callbackUrl);
    } else refused(res?.error ?? "CredentialsSignin", res?.url);
  }

  async function withLink() {
    // The field as the person sees it, read at the click.
    const address = typed("email");
    if (!address) {
      clear();
      setError("Enter your email address first.");
      return;
    }
    setBusy(true);
    clear();
    const res = await signIn("email", { email: address, redirect: false, callbackUrl });
    setBusy(false);
    // An unknown address gets the same answer as a known one (nothing is sent to it): only real failures
    // come back as an error.
    const code = res?.error ?? (res?.url ? new URL(res.url, window.location.href).searchParams.get("error") : null);
    if (code) refused(code, res?.url);
    else setSent(true);
  }

  const left = lockedUntil === null ? null : Math.max(0, Math.ceil((lockedUntil - now) / 1000));
  const lockMessage =
    left === null
      ? null
      : left > 0
        ? `Too many failed logins: wait ${duration(left)} before trying again.${canEmailLinks ? " Or use a login link by email." : ""}`
        : null;

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold">Log in</h1>
        <p className="mt-1 text-sm text-slate-500">See every customer's whole journey on one timeline.</p>
      </div>
      {loggedOut && !error && !sent ? <Alert tone="info">You have logged out.</Alert> : null}
      {sent ? (
        <Alert tone="success">
          Check your inbox: if an account exists for that email, a login link is on its way. It works once, for 15
          minutes.
        </Alert>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      {lockMessage ? <Alert tone="error">{lockMessage}</Alert> : null}
      {left === 0 ? <Alert tone="info">The wait is over: you can try again now.</Alert> : null}
      <form ref={form} onSubmit={withPassword} className="space-y-4">
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          onChange={() => {
            if (error) setError(null);
          }}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          onChange={(e) => {
            setHasPassword(e.target.value !== "");
            if (error) setError(null);
          }}
        />
        <Button type="submit" className="w-full" disabled={busy || !hasPassword}>
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

/** When a lock of `retryAfter` seconds (from the 429's Retry-After) ends; 30 s when the answer did not say. */
function lockEnd(retryAfter: string | null) {
  const seconds = Number(retryAfter);
  return Date.now() + (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 3600) : 30) * 1000;
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
