"use client";

import { type FormEvent, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "@/components/data/use-workspace-admin.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { formatWhen } from "@/components/ui/format-when.ts";
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, type ApiKeyScope } from "@/lib/workspaces/api-key-scopes.ts";
import { CopyBlock } from "./site-snippet.tsx";

const when = (iso: string | null) => formatWhen(iso, "never");

const access = (scopes: string[]) =>
  API_KEY_SCOPES.every((s) => scopes.includes(s))
    ? "Full access"
    : scopes.map((s) => API_KEY_SCOPE_LABELS[s as ApiKeyScope] ?? s).join(", ");

/** Secret keys: create (shown once) with what they may do, list by prefix, revoke after a confirmation. */
export function ApiKeys({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const keys = useApiKeys(slug);
  const create = useCreateApiKey(slug);
  const revoke = useRevokeApiKey(slug);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...API_KEY_SCOPES]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const createError = create.error instanceof ApiError ? create.error : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name, scopes }, { onSuccess: () => setName("") });
  }

  /** Revoke, after a confirmation naming the key (the table's last cell, a card's last line). */
  const keyActions = (key: { id: string; name: string; revokedAt: string | null }) =>
    key.revokedAt ? (
      <span className="text-xs">Revoked</span>
    ) : canEdit && confirming === key.id ? (
      <span className="inline-flex gap-2">
        <Button variant="danger" onClick={() => revoke.mutate(key.id, { onSuccess: () => setConfirming(null) })}>
          Revoke {key.name}
        </Button>
        <Button variant="ghost" onClick={() => setConfirming(null)}>
          Cancel
        </Button>
      </span>
    ) : canEdit ? (
      <Button variant="ghost" onClick={() => setConfirming(key.id)}>
        Revoke…
      </Button>
    ) : null;

  return (
    <div className="space-y-5">
      {create.data ? (
        <div className="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-4">
          <p className="text-sm font-medium text-amber-900">
            Copy your new key “{create.data.name}” now: it will not be shown again.
          </p>
          <CopyBlock label="New API key" text={create.data.key} />
        </div>
      ) : null}
      {canEdit ? (
        <form onSubmit={submit} className="space-y-3">
          <div className="flex items-end gap-3">
            <div className="flex-1">
              <Field
                label="New key name"
                name="keyName"
                placeholder="Chatbot production"
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={createError?.field("name") ?? createError?.message}
              />
            </div>
            <Button type="submit" disabled={create.isPending || !name.trim() || scopes.length === 0}>
              Create key
            </Button>
          </div>
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium text-slate-700">This key may</legend>
            <div className="grid gap-x-4 gap-y-1.5 sm:grid-cols-2">
              {API_KEY_SCOPES.map((scope) => (
                <label key={scope} className="flex items-center gap-2 text-sm text-slate-700">
                  <input
                    type="checkbox"
                    className="size-4 accent-brand-600"
                    checked={scopes.includes(scope)}
                    onChange={(e) =>
                      setScopes((now) => (e.target.checked ? [...now, scope] : now.filter((s) => s !== scope)))
                    }
                  />
                  {API_KEY_SCOPE_LABELS[scope]}
                </label>
              ))}
            </div>
            {createError?.field("scopes") ? (
              <p className="text-xs text-red-600">{createError.field("scopes")}</p>
            ) : null}
          </fieldset>
        </form>
      ) : (
        <Alert tone="info">Only an owner can create or revoke keys.</Alert>
      )}
      {keys.isError ? <Alert tone="error">The keys could not be loaded.</Alert> : null}
      <div className="hidden md:block">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 font-medium">Name</th>
              <th className="py-2 font-medium">Key</th>
              <th className="py-2 font-medium">Access</th>
              <th className="py-2 font-medium">Created</th>
              <th className="py-2 font-medium">Last used</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {keys.data?.map((key) => (
              <tr key={key.id} className={key.revokedAt ? "text-slate-400" : ""}>
                <td className="py-2.5 font-medium">{key.name}</td>
                <td className="py-2.5 font-mono text-xs">{key.prefix}…</td>
                <td className="py-2.5 text-xs">{access(key.scopes)}</td>
                <td className="py-2.5">{when(key.createdAt)}</td>
                <td className="py-2.5">{when(key.lastUsedAt)}</td>
                <td className="py-2.5 text-right">{keyActions(key)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="divide-y divide-slate-100 md:hidden" aria-label="Secret keys">
        {keys.data?.map((key) => (
          <li key={key.id} className={`space-y-1 py-3 text-sm ${key.revokedAt ? "text-slate-400" : ""}`}>
            <p className="flex flex-wrap items-baseline justify-between gap-x-3">
              <span className="font-medium">{key.name}</span>
              <span className="font-mono text-xs">{key.prefix}…</span>
            </p>
            <p className="text-xs text-slate-500">
              {access(key.scopes)} · created {when(key.createdAt)} · last used {when(key.lastUsedAt)}
            </p>
            {keyActions(key)}
          </li>
        ))}
      </ul>
    </div>
  );
}
