"use client";

import { STRIPE_EVENT_TYPES } from "@/lib/integrations/stripe/event-types.ts";
import { ProviderIntegration } from "./provider-integration.tsx";

/**
 * The workspace's own Stripe: the webhook URL and the events to select come first (Stripe shows the signing
 * secret only once the endpoint exists), then the secret key and that signing secret, both write-only.
 */
export function StripeIntegration(props: { slug: string; canEdit: boolean; webhookUrl: string }) {
  return (
    <ProviderIntegration
      {...props}
      provider="stripe"
      label="Stripe"
      replaceNoun="keys"
      instructions="In Stripe: Developers → Webhooks → Add endpoint. Paste this URL and select these events:"
      extra={
        <ul className="flex flex-wrap gap-1.5" aria-label="Events to select">
          {STRIPE_EVENT_TYPES.map((type) => (
            <li key={type} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">
              {type}
            </li>
          ))}
        </ul>
      }
      fields={[
        {
          name: "secretKey",
          label: "Secret key",
          secret: true,
          required: true,
          placeholder: "sk_live_… or rk_live_…",
          hint: "Developers → API keys. A restricted key needs write access to Checkout Sessions.",
        },
        {
          name: "webhookSecret",
          label: "Webhook signing secret",
          secret: true,
          required: true,
          placeholder: "whsec_…",
          hint: "Shown on the endpoint's page in Stripe after you add it (Reveal signing secret).",
        },
      ]}
    />
  );
}
