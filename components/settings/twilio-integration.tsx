"use client";

import { ProviderIntegration } from "./provider-integration.tsx";

/**
 * The workspace's own Twilio account: the webhook URL to paste on the number (messages, status callbacks and
 * calls alike), then the Account SID and Auth Token (the token signs Twilio's deliveries; write-only) and the
 * senders `POST /api/v1/messages` uses.
 */
export function TwilioIntegration(props: { slug: string; canEdit: boolean; webhookUrl: string }) {
  return (
    <ProviderIntegration
      {...props}
      provider="twilio"
      label="Twilio"
      replaceNoun="credentials"
      instructions="In Twilio: Phone Numbers → your number → Messaging: paste this URL as “A message comes in” (HTTP POST) and as the status callback URL; under Voice, as the call status callback. For WhatsApp, the same URL on the sender. Twilio signs the exact URL, so paste it unchanged."
      fields={[
        {
          name: "accountSid",
          label: "Account SID",
          required: true,
          placeholder: "AC…",
          hint: "Twilio Console → Account info.",
        },
        {
          name: "authToken",
          label: "Auth Token",
          secret: true,
          required: true,
          hint: "Console → Account info. It verifies every delivery; after a token rotation in Twilio, replace it here.",
        },
        {
          name: "fromNumber",
          label: "SMS number (optional)",
          placeholder: "+15551234567",
          hint: "The number OneThread sends SMS from (POST /api/v1/messages).",
        },
        {
          name: "whatsappFrom",
          label: "WhatsApp sender (optional)",
          placeholder: "+14155238886",
          hint: "Your approved WhatsApp sender, or the Sandbox number while testing.",
        },
        {
          name: "messagingServiceSid",
          label: "Messaging Service SID (optional)",
          placeholder: "MG…",
          hint: "When given, SMS go out through the service's number pool (and WhatsApp too if no sender is set).",
        },
      ]}
    />
  );
}
