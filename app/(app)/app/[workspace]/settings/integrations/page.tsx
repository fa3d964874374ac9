import type { Metadata } from "next";
import { DeliveryLog } from "@/components/settings/delivery-log.tsx";
import { InboundSources } from "@/components/settings/inbound-sources.tsx";
import { ResendIntegration } from "@/components/settings/resend-integration.tsx";
import { SendBackIntegration } from "@/components/settings/send-back-integration.tsx";
import { StripeIntegration } from "@/components/settings/stripe-integration.tsx";
import { TwilioIntegration } from "@/components/settings/twilio-integration.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { webhookUrl } from "@/lib/integrations/webhook-url.ts";

export const metadata: Metadata = { title: "Integrations" };

export default async function IntegrationsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireMember((await params).workspace);
  return (
    <div className="max-w-4xl space-y-6">
      <h1 className="text-2xl font-semibold">Integrations</h1>
      <Card
        title="Stripe"
        description="Your own Stripe account: deposits paid through checkout links make customers, with amount and currency; refunds are recorded."
      >
        <StripeIntegration
          slug={workspace.slug}
          canEdit={role === "owner"}
          webhookUrl={webhookUrl(workspace.id, "stripe", "default")}
        />
      </Card>
      <Card
        title="Twilio"
        description="Your own Twilio numbers: SMS and WhatsApp messages land in the person's thread with their full text, STOP opts a number out of that channel, calls and voicemails are recorded, and POST /api/v1/messages sends from them."
      >
        <TwilioIntegration
          slug={workspace.slug}
          canEdit={role === "owner"}
          webhookUrl={webhookUrl(workspace.id, "twilio", "default")}
        />
      </Card>
      <Card
        title="Resend"
        description="Your own Resend account: tracked email to your customers (opens, clicks, bounces, one-click unsubscribe), and replies landing in the person's email thread with their full text."
      >
        <ResendIntegration
          slug={workspace.slug}
          canEdit={role === "owner"}
          webhookUrl={webhookUrl(workspace.id, "resend", "default")}
        />
      </Card>
      <Card
        title="CRM and scheduler webhooks"
        description="Cal.com, Calendly or your own CRM post signed deliveries to a URL of their own: bookings make customers."
      >
        <InboundSources slug={workspace.slug} canEdit={role === "owner"} />
      </Card>
      <Card
        title="Conversion send-back"
        description="Payments, bookings and qualified leads of people who came from a Meta or Google ad go back to that network server-side, so it can measure its ads. Never for someone with Global Privacy Control, who opted out, or who did not consent where consent is required."
      >
        <SendBackIntegration slug={workspace.slug} canEdit={role === "owner"} />
      </Card>
      <Card title="Delivery log" description="Every delivery whose signature checked out, newest first.">
        <DeliveryLog slug={workspace.slug} />
      </Card>
    </div>
  );
}
