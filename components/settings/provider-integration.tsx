"use client";

import { type FormEvent, type ReactNode, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import {
  useConnectIntegration,
  useDisconnectIntegration,
  useIntegrations,
  useSendTestDelivery,
} from "@/components/data/use-integrations.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { formatWhen } from "@/components/ui/format-when.ts";
import { ConnectFields } from "./connect-fields.tsx";
import { CopyBlock } from "./site-snippet.tsx";

const when = (iso: string | null) => formatWhen(iso, "none yet");

/** One input of a provider's connect form; `secret` ones are write-only password fields. */
export interface ProviderField {
  name: string;
  label: string;
  placeholder?: string;
  hint?: string;
  secret?: boolean;
  required?: boolean;
}

/**
 * A provider account the workspace connects (Stripe, Twilio…): its state and last delivery, where to paste the
 * webhook URL, the connect form (secrets write-only: the page never shows them; connecting again replaces
 * them), a signed test event through the real webhook route, and disconnecting after a confirmation.
 */
export function ProviderIntegration({
  slug,
  canEdit,
  provider,
  label,
  webhookUrl,
  instructions,
  extra,
  fields,
  replaceNoun,
}: {
  slug: string;
  canEdit: boolean;
  provider: string;
  label: string;
  webhookUrl: string;
  instructions: string;
  /** Shown under the webhook URL (e.g. the events to select). */
  extra?: ReactNode;
  fields: ProviderField[];
  /** "keys", "credentials": the form's replace button reads "Replace keys". */
  replaceNoun: string;
}) {
  const integrations = useIntegrations(slug);
  const connect = useConnectIntegration(slug);
  const disconnect = useDisconnectIntegration(slug);
  const test = useSendTestDelivery(slug);
  const empty = Object.fromEntries(fields.map((f) => [f.name, ""]));
  const [values, setValues] = useState<Record<string, string>>(empty);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const connected = integrations.data?.find((i) => i.provider === provider);
  const error = connect.error instanceof ApiError ? connect.error : null;
  const ready = fields.every((f) => !f.required || values[f.name]?.trim());

  function submit(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, string> = {};
    for (const f of fields) if (values[f.name]?.trim()) body[f.name] = (values[f.name] ?? "").trim();
    connect.mutate(
      { provider, body },
      {
        onSuccess: () => {
          setValues(empty);
          setEditing(false);
        },
      },
    );
  }

  return (
    <div className="space-y-5" data-testid={`${provider}-integration`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{label}</span>
        {connected ? (
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200">
            Connected
          </span>
        ) : integrations.isSuccess ? (
          <span className="rounded-full bg-slate-50 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-200">
            Not connected
          </span>
        ) : null}
        {connected ? (
          <span className="text-xs text-slate-500">Last delivery: {when(connected.lastDeliveryAt)}</span>
        ) : null}
      </div>
      <div className="space-y-2">
        <p className="text-sm text-slate-700">{instructions}</p>
        <CopyBlock label={`${label} webhook URL`} text={webhookUrl} />
        {extra}
      </div>
      {integrations.isError ? <Alert tone="error">The integrations could not be loaded.</Alert> : null}
      {connected?.lastError ? <Alert tone="error">Last delivery failed: {connected.lastError}</Alert> : null}
      {!canEdit ? <Alert tone="info">Only an owner can connect or disconnect {label}.</Alert> : null}
      {canEdit && (!connected || editing) ? (
        <form onSubmit={submit} className="space-y-3" aria-label={`Connect ${label}`}>
          <ConnectFields fields={fields} values={values} setValues={setValues} error={error} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={connect.isPending || !ready}>
              {connected ? `Replace ${replaceNoun}` : `Connect ${label}`}
            </Button>
            {editing ? (
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
      {connected && test.data ? (
        <Alert tone={test.data.status === 200 ? "success" : "error"}>
          Test event answered {test.data.status}: it is in the delivery log below.
        </Alert>
      ) : null}
      {test.error ? <Alert tone="error">{test.error.message}</Alert> : null}
      {canEdit && connected ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" disabled={test.isPending} onClick={() => test.mutate(provider)}>
            Send a signed test event
          </Button>
          {confirming ? (
            <>
              <Button
                variant="danger"
                onClick={() => disconnect.mutate(provider, { onSuccess: () => setConfirming(false) })}
              >
                Disconnect {label}
              </Button>
              <Button variant="ghost" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </>
          ) : (
            <>
              {!editing ? (
                <Button variant="ghost" onClick={() => setEditing(true)}>
                  Replace {replaceNoun}…
                </Button>
              ) : null}
              <Button variant="ghost" onClick={() => setConfirming(true)}>
                Disconnect…
              </Button>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}
