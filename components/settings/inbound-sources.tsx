"use client";

import { type FormEvent, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import {
  type IntegrationRow,
  useConnectIntegration,
  useDisconnectIntegration,
  useIntegrations,
  useSendTestDelivery,
} from "@/components/data/use-integrations.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { formatWhen } from "@/components/ui/format-when.ts";
import { CopyBlock } from "./site-snippet.tsx";

const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const when = (iso: string | null) => formatWhen(iso, "none yet");
const nameOf = (provider: string) => provider.replace(/^inbound:/, "");

/**
 * Inbound sources (a CRM, Cal.com, Calendly): connect one by name, then paste its URL and secret into the
 * sender. The secret is shown once, after connecting or rotating; the test button signs a delivery on the
 * server with that secret and sends it through the real webhook route.
 */
export function InboundSources({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const integrations = useIntegrations(slug);
  const connect = useConnectIntegration(slug);
  const [name, setName] = useState("");
  const nameError = name && !NAME.test(name) ? "Lower-case letters, digits and dashes, up to 40." : null;
  const connectError = connect.error instanceof ApiError ? connect.error.message : null;
  const sources = integrations.data?.filter((i) => i.provider.startsWith("inbound:")) ?? [];

  function submit(e: FormEvent) {
    e.preventDefault();
    connect.mutate(`inbound:${name}`, { onSuccess: () => setName("") });
  }

  return (
    <div className="space-y-5">
      {connect.data?.secret ? (
        <div className="space-y-3 rounded-lg border border-amber-200 bg-amber-50 p-4" data-testid="new-secret">
          <p className="text-sm font-medium text-amber-900">
            Copy the signing secret of “{nameOf(connect.data.provider)}” now: it will not be shown again.
          </p>
          <CopyBlock label="Signing secret" text={connect.data.secret} />
          <CopyBlock label="Webhook URL" text={connect.data.webhookUrl} />
        </div>
      ) : null}
      {canEdit ? (
        <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex-1">
            <Field
              label="New source name"
              name="sourceName"
              placeholder="cal"
              value={name}
              onChange={(e) => setName(e.target.value.trim())}
              hint="Part of its URL, e.g. cal, calendly or hubspot."
              error={nameError ?? connectError}
            />
          </div>
          <Button type="submit" disabled={connect.isPending || !name || !!nameError}>
            Connect source
          </Button>
        </form>
      ) : (
        <Alert tone="info">Only an owner can connect, rotate or disconnect sources.</Alert>
      )}
      {integrations.isError ? <Alert tone="error">The integrations could not be loaded.</Alert> : null}
      {integrations.isSuccess && sources.length === 0 ? (
        <p className="text-sm text-slate-500">No source is connected yet.</p>
      ) : null}
      <ul className="divide-y divide-slate-100">
        {sources.map((source) => (
          <SourceRow key={source.provider} slug={slug} source={source} canEdit={canEdit} onRotated={connect} />
        ))}
      </ul>
    </div>
  );
}

function SourceRow({
  slug,
  source,
  canEdit,
  onRotated,
}: {
  slug: string;
  source: IntegrationRow;
  canEdit: boolean;
  onRotated: ReturnType<typeof useConnectIntegration>;
}) {
  const test = useSendTestDelivery(slug);
  const disconnect = useDisconnectIntegration(slug);
  const [confirming, setConfirming] = useState<"rotate" | "disconnect" | null>(null);
  const name = nameOf(source.provider);
  return (
    <li className="space-y-3 py-4" data-testid={`source-${name}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{name}</span>
        <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200">
          Connected
        </span>
        <span className="text-xs text-slate-500">Last delivery: {when(source.lastDeliveryAt)}</span>
      </div>
      <CopyBlock label={`Webhook URL of ${name}`} text={source.webhookUrl ?? ""} />
      {source.lastError ? <Alert tone="error">Last delivery failed: {source.lastError}</Alert> : null}
      {test.data ? (
        <Alert tone={test.data.status === 200 ? "success" : "error"}>
          Test delivery answered {test.data.status}: it is in the delivery log below.
        </Alert>
      ) : null}
      {test.error ? <Alert tone="error">{test.error.message}</Alert> : null}
      {canEdit ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" disabled={test.isPending} onClick={() => test.mutate(source.provider)}>
            Send a signed test event
          </Button>
          {confirming === "rotate" ? (
            <Button
              variant="danger"
              onClick={() => onRotated.mutate(source.provider, { onSuccess: () => setConfirming(null) })}
            >
              Rotate now (the old secret stops working)
            </Button>
          ) : confirming === "disconnect" ? (
            <Button
              variant="danger"
              onClick={() => disconnect.mutate(source.provider, { onSuccess: () => setConfirming(null) })}
            >
              Disconnect {name}
            </Button>
          ) : (
            <>
              <Button variant="ghost" onClick={() => setConfirming("rotate")}>
                Rotate secret…
              </Button>
              <Button variant="ghost" onClick={() => setConfirming("disconnect")}>
                Disconnect…
              </Button>
            </>
          )}
          {confirming ? (
            <Button variant="ghost" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
