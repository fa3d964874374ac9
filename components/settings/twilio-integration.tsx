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
import { CopyBlock } from "./site-snippet.tsx";

const when = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" }) : "none yet";

const FIELDS = ["accountSid", "authToken", "fromNumber", "whatsappFrom", "messagingServiceSid"] as const;
type FieldName = (typeof FIELDS)[number];
const EMPTY: Record<FieldName, string> = {
  accountSid: "",
  authToken: "",
  fromNumber: "",
  whatsappFrom: "",
  messagingServiceSid: "",
};

/**
 * The workspace's own Twilio account: the webhook URL to paste on the number (messages, status callbacks and
 * calls alike), then the Account SID and Auth Token (the token signs Twilio's deliveries; write-only, never
 * shown again) and the sending numbers. Connecting again replaces them (rotation).
 */
export function TwilioIntegration({
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
  const [values, setValues] = useState(EMPTY);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const twilio = integrations.data?.find((i) => i.provider === "twilio");
  const error = connect.error instanceof ApiError ? connect.error : null;
  const set = (name: FieldName) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, string> = {};
    for (const name of FIELDS) if (values[name].trim()) body[name] = values[name].trim();
    connect.mutate(
      { provider: "twilio", body },
      {
        onSuccess: () => {
          setValues(EMPTY);
          setEditing(false);
        },
      },
    );
  }

  return (
    <div className="space-y-5" data-testid="twilio-integration">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">Twilio</span>
        {twilio ? (
          <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-200">
            Connected
          </span>
        ) : integrations.isSuccess ? (
          <span className="rounded-full bg-slate-50 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-200">
            Not connected
          </span>
        ) : null}
        {twilio ? <span className="text-xs text-slate-500">Last delivery: {when(twilio.lastDeliveryAt)}</span> : null}
      </div>
      <div className="space-y-2">
        <p className="text-sm text-slate-700">
          In Twilio: Phone Numbers → your number → Messaging: paste this URL as “A message comes in” (HTTP POST) and as
          the status callback URL; under Voice, as the call status callback. For WhatsApp, the same URL on the sender.
          Twilio signs the exact URL, so paste it unchanged.
        </p>
        <CopyBlock label="Twilio webhook URL" text={webhookUrl} />
      </div>
      {integrations.isError ? <Alert tone="error">The integrations could not be loaded.</Alert> : null}
      {twilio?.lastError ? <Alert tone="error">Last delivery failed: {twilio.lastError}</Alert> : null}
      {!canEdit ? <Alert tone="info">Only an owner can connect or disconnect Twilio.</Alert> : null}
      {canEdit && (!twilio || editing) ? (
        <form onSubmit={submit} className="space-y-3" aria-label="Connect Twilio">
          <Field
            label="Account SID"
            name="accountSid"
            autoComplete="off"
            placeholder="AC…"
            value={values.accountSid}
            onChange={set("accountSid")}
            hint="Twilio Console → Account info."
            error={error?.field("accountSid")}
          />
          <Field
            label="Auth Token"
            name="authToken"
            type="password"
            autoComplete="off"
            value={values.authToken}
            onChange={set("authToken")}
            hint="Console → Account info. It verifies every delivery; after a token rotation in Twilio, replace it here."
            error={error?.field("authToken")}
          />
          <Field
            label="SMS number (optional)"
            name="fromNumber"
            autoComplete="off"
            placeholder="+15551234567"
            value={values.fromNumber}
            onChange={set("fromNumber")}
            error={error?.field("fromNumber")}
          />
          <Field
            label="WhatsApp sender (optional)"
            name="whatsappFrom"
            autoComplete="off"
            placeholder="+14155238886"
            value={values.whatsappFrom}
            onChange={set("whatsappFrom")}
            error={error?.field("whatsappFrom")}
          />
          <Field
            label="Messaging Service SID (optional)"
            name="messagingServiceSid"
            autoComplete="off"
            placeholder="MG…"
            value={values.messagingServiceSid}
            onChange={set("messagingServiceSid")}
            error={error?.field("messagingServiceSid")}
          />
          {error && !FIELDS.some((f) => error.field(f)) ? <Alert tone="error">{error.message}</Alert> : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={connect.isPending || !values.accountSid.trim() || !values.authToken.trim()}>
              {twilio ? "Replace credentials" : "Connect Twilio"}
            </Button>
            {editing ? (
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
      {twilio && test.data ? (
        <Alert tone={test.data.status === 200 ? "success" : "error"}>
          Test event answered {test.data.status}: it is in the delivery log below.
        </Alert>
      ) : null}
      {test.error ? <Alert tone="error">{test.error.message}</Alert> : null}
      {canEdit && twilio ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" disabled={test.isPending} onClick={() => test.mutate("twilio")}>
            Send a signed test event
          </Button>
          {confirming ? (
            <>
              <Button
                variant="danger"
                onClick={() => disconnect.mutate("twilio", { onSuccess: () => setConfirming(false) })}
              >
                Disconnect Twilio
              </Button>
              <Button variant="ghost" onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </>
          ) : (
            <>
              {!editing ? (
                <Button variant="ghost" onClick={() => setEditing(true)}>
                  Replace credentials…
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
