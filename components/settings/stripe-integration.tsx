"use client";

import { type FormEvent, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import {
  useConnectIntegration,
  useDisconnectIntegration,
  useIntegrations,
  useSendTestDelivery,
} from "@/components/data/use-integrations.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { STRIPE_EVENT_TYPES } from "@/lib/integrations/stripe/event-types.ts";
import { CopyBlock } from "./site-snippet.tsx";

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" }) : "none yet";

/**
 * The workspace's own Stripe: the webhook URL and the events to select come first (Stripe shows the signing
 * secret only once the endpoint exists), then the secret key and that signing secret. Both are write-only: the
 * page shows whether Stripe is connected, never the keys. Connecting again replaces them (rotation).
 */
export function StripeIntegration({
  slug,
  canEdit,
  webhookUrl,
}: {
  slug: string;
  canEdit: boolean;
  webhookUrl: string;
}) {
  const integrations = useIntegrations(slug);
  const connect = useConnectIntegration(slug);
  const disconnect = useDisconnectIntegration(slug);
  const test = useSendTestDelivery(slug);
  const [secretKey, setSecretKey] = useState("");
  const [webhookSecret, setWebhookSecret] = useState("");
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const stripe = integrations.data?.find((i) => i.provider === "stripe");
  const error = connect.error instanceof ApiError ? connect.error : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    connect.mutate(
      { provider: "stripe", body: { secretKey: secretKey.trim(), webhookSecret: webhookSecret.trim() } },
      {
        onSuccess: () => {
          setSecretKey("");
          setWebhookSecret("");
          setEditing(false);
        },
      },
    );
  }

  return (
    <div className="space-y-5" data-testid="stripe-integration">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Stripe</span>
        {stripe ? (
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200">
            Connected
          </span>
        ) : integrations.isSuccess ? (
          <span className="rounded-full bg-slate-50 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-200">
            Not connected
          </span>
        ) : null}
        {stripe ? <span className="text-xs text-slate-500">Last delivery: {when(stripe.lastDeliveryAt)}</span> : null}
      </div>
      <div className="space-y-2">
        <p className="text-sm text-slate-700">
          In Stripe: Developers → Webhooks → Add endpoint. Paste this URL and select these events:
        </p>
        <CopyBlock label="Stripe webhook URL" text={webhookUrl} />
        <ul className="flex flex-wrap gap-1.5" aria-label="Events to select">
          {STRIPE_EVENT_TYPES.map((type) => (
            <li key={type} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">
              {type}
            </li>
          ))}
        </ul>
      </div>
      {integrations.isError ? <Alert tone="error">The integrations could not be loaded.</Alert> : null}
      {stripe?.lastError ? <Alert tone="error">Last delivery failed: {stripe.lastError}</Alert> : null}
      {!canEdit ? <Alert tone="info">Only an owner can connect or disconnect Stripe.</Alert> : null}
      {canEdit && (!stripe || editing) ? (
        <form onSubmit={submit} className="space-y-3" aria-label="Connect Stripe">
          <Field
            label="Secret key"
            name="secretKey"
            type="password"
            autoComplete="off"
            placeholder="sk_live_… or rk_live_…"
            value={secretKey}
            onChange={(e) => setSecretKey(e.target.value)}
            hint="Developers → API keys. A restricted key needs write access to Checkout Sessions."
            error={error?.field("secretKey")}
          />
          <Field
            label="Webhook signing secret"
            name="webhookSecret"
            type="password"
            autoComplete="off"
            placeholder="whsec_…"
            value={webhookSecret}
            onChange={(e) => setWebhookSecret(e.target.value)}
            hint="Shown on the endpoint's page in Stripe after you add it (Reveal signing secret)."
            error={error?.field("webhookSecret")}
          />
          {error && !error.field("secretKey") && !error.field("webhookSecret") ? (
            <Alert tone="error">{error.message}</Alert>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={connect.isPending || !secretKey.trim() || !webhookSecret.trim()}>
              {stripe ? "Replace keys" : "Connect Stripe"}
            </Button>
            {editing ? (
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
      {stripe && test.data ? (
        <Alert tone={test.data.status === 200 ? "success" : "error"}>
          Test event answered {test.data.status}: it is in the delivery log below.
        </Alert>
      ) : null}
      {test.error ? <Alert tone="error">{test.error.message}</Alert> : null}
      {canEdit && stripe ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" disabled={test.isPending} onClick={() => test.mutate("stripe")}>
            Send a signed test event
          </Button>
          {confirming ? (
            <>
              <Button
                variant="danger"
                onClick={() => disconnect.mutate("stripe", { onSuccess: () => setConfirming(false) })}
              >
                Disconnect Stripe
              </Button>
              <Button variant="ghost" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </>
          ) : (
            <>
              {!editing ? (
                <Button variant="ghost" onClick={() => setEditing(true)}>
                  Replace keys…
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
