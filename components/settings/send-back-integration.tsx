"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import {
  type SendBackRow,
  useConnectIntegration,
  useDisconnectIntegration,
  useSendBackStatus,
} from "@/components/data/use-integrations.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { formatWhen } from "@/components/ui/format-when.ts";
import { ConnectFields } from "./connect-fields.tsx";
import type { ProviderField } from "./provider-integration.tsx";

const FIELDS: Record<SendBackRow["destination"], ProviderField[]> = {
  meta: [
    { name: "pixelId", label: "Pixel (dataset) id", required: true, placeholder: "123456789012345" },
    {
      name: "accessToken",
      label: "Conversions API access token",
      secret: true,
      required: true,
      hint: "Events Manager → your pixel → Settings → Conversions API → Generate access token.",
    },
    {
      name: "testEventCode",
      label: "Test event code (optional)",
      placeholder: "TEST12345",
      hint: "While set, events show under Test events in Events Manager instead of counting.",
    },
  ],
  google: [
    { name: "customerId", label: "Google Ads customer id", required: true, placeholder: "123-456-7890" },
    {
      name: "conversionAction",
      label: "Conversion action id",
      required: true,
      placeholder: "987654321",
      hint: "Goals → Conversions: an Import (clicks) conversion action; its id or customers/…/conversionActions/….",
    },
    {
      name: "accessToken",
      label: "OAuth access token",
      secret: true,
      required: true,
      hint: "A token with the Data Manager API scope (https://www.googleapis.com/auth/datamanager).",
    },
  ],
};

/**
 * Settings → Integrations, "Conversion send-back" (decision 021): per network, the connect form (the token is
 * write-only), what the outbox did (sent, waiting, failed, not sent) and its final failures with the person.
 */
export function SendBackIntegration({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const status = useSendBackStatus(slug);
  if (status.isError) return <Alert tone="error">The send-back status could not be loaded.</Alert>;
  if (!status.data) return <p className="text-sm text-slate-500">Loading…</p>;
  return (
    <div className="divide-y divide-slate-100">
      {status.data.map((row) => (
        <Destination key={row.destination} slug={slug} canEdit={canEdit} row={row} />
      ))}
    </div>
  );
}

function Destination({ slug, canEdit, row }: { slug: string; canEdit: boolean; row: SendBackRow }) {
  const connect = useConnectIntegration(slug);
  const disconnect = useDisconnectIntegration(slug);
  const fields = FIELDS[row.destination];
  const empty = Object.fromEntries(fields.map((f) => [f.name, ""]));
  const [values, setValues] = useState<Record<string, string>>(empty);
  const [editing, setEditing] = useState(false);
  const error = connect.error instanceof ApiError ? connect.error : null;
  const ready = fields.every((f) => !f.required || values[f.name]?.trim());

  function submit(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, string> = {};
    for (const f of fields) if (values[f.name]?.trim()) body[f.name] = (values[f.name] ?? "").trim();
    connect.mutate(
      { provider: row.destination, body },
      {
        onSuccess: () => {
          setValues(empty);
          setEditing(false);
        },
      },
    );
  }

  const c = row.counts;
  return (
    <div className="space-y-3 py-4 first:pt-0 last:pb-0" data-testid={`sendback-${row.destination}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{row.label}</span>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${
            row.connected
              ? "bg-emerald-50 text-emerald-700 ring-emerald-200"
              : "bg-slate-50 text-slate-600 ring-slate-200"
          }`}
        >
          {row.connected ? "Connected" : "Not connected"}
        </span>
        <span className="text-xs text-slate-500">Last sent: {formatWhen(row.lastSentAt, "none yet")}</span>
      </div>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" aria-label={`${row.label} send-back counts`}>
        {(
          [
            ["Sent", c.delivered],
            ["Waiting", c.pending],
            ["Failed", c.failed],
            ["Not sent (privacy)", c.cancelled],
          ] as const
        ).map(([label, count]) => (
          <div key={label} className="rounded-lg bg-slate-50 px-3 py-2">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="font-semibold tabular-nums text-slate-900">{count}</dd>
          </div>
        ))}
      </dl>
      {row.failures.length ? (
        <div className="space-y-1.5">
          <Alert tone="error">
            {row.failures.length === 1 ? "1 conversion" : `${row.failures.length} conversions`} could not be sent to{" "}
            {row.label}. The latest: {row.failures[0]?.error}
          </Alert>
          <ul className="divide-y divide-slate-100 text-sm" aria-label={`${row.label} failures`}>
            {row.failures.map((f) => (
              <li key={f.id} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5 py-1.5">
                <span className="min-w-0 break-words">
                  <span className="font-medium">{f.conversion}</span>
                  {f.profileId ? (
                    <>
                      {" of "}
                      <Link className="text-brand-700 underline" href={`/app/${slug}/people/${f.profileId}`}>
                        {f.person ?? "this person"}
                      </Link>
                    </>
                  ) : null}
                  : <span className="text-red-700">{f.error}</span>
                </span>
                <span className="text-xs text-slate-500">
                  {formatWhen(f.at, "")} · {f.attempts === 1 ? "1 try" : `${f.attempts} tries`}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {!canEdit ? <Alert tone="info">Only an owner can connect or disconnect {row.label}.</Alert> : null}
      {canEdit && (!row.connected || editing) ? (
        <form onSubmit={submit} className="space-y-3" aria-label={`Connect ${row.label}`}>
          <ConnectFields fields={fields} values={values} setValues={setValues} error={error} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={connect.isPending || !ready}>
              {row.connected ? "Replace token" : `Connect ${row.label}`}
            </Button>
            {editing ? (
              <Button variant="ghost" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
      {canEdit && row.connected && !editing ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="ghost" onClick={() => setEditing(true)}>
            Replace token…
          </Button>
          <Button variant="ghost" disabled={disconnect.isPending} onClick={() => disconnect.mutate(row.destination)}>
            Disconnect {row.label}
          </Button>
        </div>
      ) : null}
    </div>
  );
}
