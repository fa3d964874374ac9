"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useEffect, useState } from "react";
import { ApiError, fetchJson } from "@/components/data/fetch-json.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field, SelectField } from "@/components/ui/field.tsx";
import { safeCallback } from "./login-form.tsx";

/** Sign up: the owner's account and their first workspace, then straight in. */
export function SignupForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [form, setForm] = useState({
    ownerName: "",
    name: "",
    ownerEmail: params.get("email") ?? "",
    password: "",
    timezone: "UTC",
    region: "us" as "us" | "eu",
  });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    setForm((f) => ({ ...f, timezone, region: timezone.startsWith("Europe/") ? "eu" : f.region }));
  }, []);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const invited = params.get("callbackUrl")?.startsWith("/invite/");
      const created = await fetchJson<{ slug: string }>("/api/signup", {
        method: "POST",
        body: { ...form, name: form.name || `${form.ownerName || "My"} workspace` },
      });
      const res = await signIn("credentials", { email: form.ownerEmail, password: form.password, redirect: false });
      if (!res?.ok)
        throw new ApiError(
          500,
          "login_failed",
          "Your workspace was created, but logging in failed: try the login page.",
        );
      router.push(invited ? safeCallback(params.get("callbackUrl")) : `/app/${created.slug}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(500, "error", "Something went wrong. Please try again."));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Create your workspace</h1>
        <p className="mt-1 text-sm text-slate-500">One workspace per business. You can invite your team later.</p>
      </div>
      {error && !error.details.length ? <Alert tone="error">{error.message}</Alert> : null}
      <Field
        label="Your name"
        name="ownerName"
        autoComplete="name"
        value={form.ownerName}
        onChange={set("ownerName")}
        error={error?.field("ownerName")}
      />
      <Field
        label="Business name"
        name="name"
        required
        placeholder="Acme Movers"
        value={form.name}
        onChange={set("name")}
        error={error?.field("name")}
      />
      <Field
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={form.ownerEmail}
        onChange={set("ownerEmail")}
        error={error?.field("ownerEmail")}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters."
        value={form.password}
        onChange={set("password")}
        error={error?.field("password")}
      />
      <Field
        label="Time zone"
        name="timezone"
        value={form.timezone}
        onChange={set("timezone")}
        error={error?.field("timezone")}
        hint="Used for your timelines and the Friday summary."
      />
      <SelectField
        label="Data region"
        name="region"
        value={form.region}
        onChange={set("region")}
        error={error?.field("region")}
        hint="Where your customers' data is stored. It cannot move once data arrives."
      >
        <option value="us">United States</option>
        <option value="eu">European Union</option>
      </SelectField>
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? "Creating…" : "Create workspace"}
      </Button>
      <p className="text-center text-sm text-slate-500">
        Already have an account?{" "}
        <Link className="font-medium text-brand-600 hover:underline" href="/login">
          Log in
        </Link>
      </p>
    </form>
  );
}
