"use client";

import { RESEND_EVENT_TYPES } from "@/lib/integrations/resend/event-types.ts";
import { ProviderIntegration } from "./provider-integration.tsx";

/**
 * The workspace's own Resend: the webhook URL and the events to select first (Resend shows the signing secret
 * once the webhook exists), then the API key and that secret (write-only) and the sender address.
 */
export function ResendIntegration(props: { slug: string; canEdit: boolean; webhookUrl: string }) {
  return (
    <ProviderIntegration
      {...props}
      provider="resend"
      label="Resend"
      replaceNoun="keys"
      instructions="In Resend: Webhooks → Add Webhook. Paste this URL and select these events (email.received needs a receiving domain or your .resend.app address):"
      extra={
        <ul className="flex flex-wrap gap-1.5" aria-label="Events to select">
          {RESEND_EVENT_TYPES.map((type) => (
            <li key={type} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">
              {type}
            </li>
          ))}
        </ul>
      }
      fields={[
        {
          name: "apiKey",
          label: "API key",
          secret: true,
          required: true,
          placeholder: "re_…",
          hint: "API Keys → Create API key with Full access (sending, and reading the mail you receive).",
        },
        {
          name: "webhookSecret",
          label: "Webhook signing secret",
          secret: true,
          required: true,
          placeholder: "whsec_…",
          hint: "Shown on the webhook's page in Resend after you add it.",
        },
        {
          name: "from",
          label: "Send from",
          required: true,
          placeholder: "Acme <hello@mail.example.com>",
          hint: "An address on a domain you verified in Resend (Domains).",
        },
      ]}
    />
  );
}
