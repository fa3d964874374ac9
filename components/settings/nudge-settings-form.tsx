"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import { type NudgeRuleId, type NudgeSettingsData, useUpdateNudgeSettings } from "@/components/data/use-nudges.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";

export interface RuleText {
  id: NudgeRuleId;
  title: string;
  description: string;
}

function Switch({
  id,
  label,
  hint,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 shrink-0 accent-brand-600"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={`${id}-hint`}
      />
      <div className="min-w-0">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      </div>
    </div>
  );
}

/** The rules (on/off, the pricing path) and where nudges go besides the overview (webhook, email). */
export function NudgeSettingsForm({
  slug,
  initial,
  rules,
  canEdit,
}: {
  slug: string;
  initial: NudgeSettingsData;
  rules: RuleText[];
  canEdit: boolean;
}) {
  const router = useRouter();
  const base = useId();
  const [on, setOn] = useState<Record<NudgeRuleId, boolean>>(
    Object.fromEntries(rules.map((r) => [r.id, initial.rules[r.id].enabled])) as Record<NudgeRuleId, boolean>,
  );
  const [path, setPath] = useState(initial.pricingPath);
  const [url, setUrl] = useState(initial.webhookUrl ?? "");
  const [email, setEmail] = useState(initial.emailOwners);
  const [secret, setSecret] = useState<string | null>(null);
  const update = useUpdateNudgeSettings(slug);
  const error = update.error instanceof ApiError ? update.error : null;

  const save = (body: Parameters<typeof update.mutate>[0]) =>
    update.mutate(body, {
      onSuccess: (saved) => {
        if (saved.webhookSecret) setSecret(saved.webhookSecret);
        router.refresh();
      },
    });

  function submit(e: FormEvent) {
    e.preventDefault();
    save({ rules: on, pricingPath: path, webhookUrl: url.trim() || null, emailOwners: email });
  }

  return (
    <form onSubmit={submit} className="max-w-2xl space-y-5" aria-label="Nudge rules">
      {update.isSuccess ? <Alert tone="success">Nudge settings saved.</Alert> : null}
      {error && !error.details.length ? <Alert tone="error">{error.message}</Alert> : null}
      {!canEdit ? <Alert tone="info">Only an owner can change these settings.</Alert> : null}
      <fieldset disabled={!canEdit} className="space-y-5">
        <legend className="sr-only">Rules</legend>
        <div className="space-y-4">
          {rules.map((r) => (
            <div key={r.id} className="space-y-2">
              <Switch
                id={`${base}-${r.id}`}
                label={r.title}
                hint={r.description}
                checked={on[r.id]}
                onChange={(v) => setOn({ ...on, [r.id]: v })}
              />
              {r.id === "pricing_return" ? (
                <div className="ml-6.5 max-w-xs">
                  <Field
                    label="Pricing path"
                    name="pricingPath"
                    value={path}
                    onChange={(e) => setPath(e.target.value)}
                    error={error?.field("pricingPath")}
                    hint="A view of this page or one below it counts."
                  />
                </div>
              ) : null}
            </div>
          ))}
        </div>
        <div className="space-y-4 border-t border-slate-100 pt-5">
          <h3 className="text-sm font-semibold text-slate-900">Also send each nudge</h3>
          <Switch
            id={`${base}-email`}
            label="By email to the owners"
            hint="Through this workspace's mail (its Resend if connected), once per nudge."
            checked={email}
            onChange={setEmail}
          />
          <Field
            label="To a webhook URL (optional)"
            name="webhookUrl"
            type="url"
            placeholder="https://hooks.example.com/onethread"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            error={error?.field("webhookUrl")}
            hint="POSTed as JSON, signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature); retried with backoff on 5xx."
          />
          {secret ? (
            <Alert tone="warning">
              <span className="block">Signing secret, shown once: store it with your receiver.</span>
              <code className="mt-1 block break-all font-mono text-xs" data-testid="webhook-secret">
                {secret}
              </code>
            </Alert>
          ) : initial.hasWebhookSecret ? (
            <p className="text-xs text-slate-500">
              A signing secret exists.{" "}
              <button
                type="button"
                className="font-medium text-brand-700 underline"
                onClick={() => save({ rotateSecret: true })}
              >
                Make a new one
              </button>{" "}
              (the old one stops working at once).
            </p>
          ) : null}
        </div>
        <Button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save nudges"}
        </Button>
      </fieldset>
    </form>
  );
}
