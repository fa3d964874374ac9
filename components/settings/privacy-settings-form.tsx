"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import { type PrivacySettingsData, useUpdatePrivacySettings } from "@/components/data/use-privacy-settings.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";

/** Retention for everyone and for paying customers, and whether a browser's Do-Not-Track is honoured. */
export function PrivacySettingsForm({
  slug,
  initial,
  canEdit,
}: {
  slug: string;
  initial: PrivacySettingsData;
  canEdit: boolean;
}) {
  const router = useRouter();
  const dntId = useId();
  const [retention, setRetention] = useState(String(initial.retentionMonths));
  const [customers, setCustomers] = useState(initial.customerRetentionMonths?.toString() ?? "");
  const [dnt, setDnt] = useState(initial.honorDoNotTrack);
  const update = useUpdatePrivacySettings(slug);
  const error = update.error instanceof ApiError ? update.error : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate(
      {
        retentionMonths: Number(retention),
        customerRetentionMonths: customers.trim() ? Number(customers) : null,
        honorDoNotTrack: dnt,
      },
      { onSuccess: () => router.refresh() },
    );
  }

  return (
    <form onSubmit={submit} className="max-w-lg space-y-4" aria-label="Retention and Do-Not-Track">
      {update.isSuccess ? <Alert tone="success">Privacy settings saved.</Alert> : null}
      {error && !error.details.length ? <Alert tone="error">{error.message}</Alert> : null}
      {!canEdit ? <Alert tone="info">Only an owner can change these settings.</Alert> : null}
      <fieldset disabled={!canEdit} className="space-y-4">
        <Field
          label="Keep events for (months)"
          name="retentionMonths"
          type="number"
          inputMode="numeric"
          min={1}
          max={120}
          required
          value={retention}
          onChange={(e) => setRetention(e.target.value)}
          error={error?.field("retentionMonths")}
          hint="How long a person's events are kept. Default 24."
        />
        <Field
          label="Keep paying customers' events for (months)"
          name="customerRetentionMonths"
          type="number"
          inputMode="numeric"
          min={1}
          max={120}
          placeholder="Same as everyone"
          value={customers}
          onChange={(e) => setCustomers(e.target.value)}
          error={error?.field("customerRetentionMonths")}
          hint="Optional, and at least as long as everyone's: customers (rung 4) whose bookings you must keep."
        />
        <div className="flex items-start gap-2.5">
          <input
            id={dntId}
            type="checkbox"
            name="honorDoNotTrack"
            className="mt-0.5 size-4 accent-brand-600"
            checked={dnt}
            onChange={(e) => setDnt(e.target.checked)}
            aria-describedby={`${dntId}-hint`}
          />
          <div>
            <label htmlFor={dntId} className="text-sm font-medium text-slate-700">
              Honour Do-Not-Track
            </label>
            <p id={`${dntId}-hint`} className="text-xs text-slate-500">
              A browser that sends Do-Not-Track is not tracked at all. Global Privacy Control is always honoured: no
              conversion of that person is sent to Google or Meta.
            </p>
          </div>
        </div>
        <Button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save privacy settings"}
        </Button>
      </fieldset>
    </form>
  );
}
