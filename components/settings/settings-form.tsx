"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import { useUpdateSettings, type WorkspaceSettings } from "@/components/data/use-workspace-admin.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field, SelectField } from "@/components/ui/field.tsx";
import { BUSINESS_TYPE_LABELS, BUSINESS_TYPES } from "@/lib/topics/business-types.ts";
import { TimeZoneField } from "./time-zone-field.tsx";

export function SettingsForm({
  slug,
  initial,
  canEdit,
}: {
  slug: string;
  initial: WorkspaceSettings;
  canEdit: boolean;
}) {
  const router = useRouter();
  const [form, setForm] = useState(initial);
  const update = useUpdateSettings(slug);
  const error = update.error instanceof ApiError ? update.error : null;
  const set = (key: keyof WorkspaceSettings) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    update.mutate({ ...form, retentionMonths: Number(form.retentionMonths) }, { onSuccess: () => router.refresh() });
  }

  return (
    <form onSubmit={submit} className="max-w-lg space-y-4">
      {update.isSuccess ? <Alert tone="success">Settings saved.</Alert> : null}
      {error && !error.details.length ? <Alert tone="error">{error.message}</Alert> : null}
      {!canEdit ? <Alert tone="info">Only an owner can change these settings.</Alert> : null}
      <fieldset disabled={!canEdit} className="space-y-4">
        <Field
          label="Workspace name"
          name="name"
          value={form.name}
          onChange={set("name")}
          error={error?.field("name")}
        />
        <TimeZoneField
          value={form.timezone}
          onChange={(timezone) => setForm({ ...form, timezone })}
          error={error?.field("timezone")}
          disabled={!canEdit}
        />
        <Field
          label="Default country"
          name="defaultCountry"
          maxLength={2}
          value={form.defaultCountry}
          onChange={set("defaultCountry")}
          error={error?.field("defaultCountry")}
          hint="Phone numbers without a country code are read as this country's."
        />
        <SelectField
          label="Data region"
          name="region"
          value={form.region}
          onChange={set("region")}
          error={error?.field("region") ?? (error?.code === "conflict" ? error.message : null)}
          hint="Where this workspace's data is stored. Fixed once it holds data."
        >
          <option value="us">United States</option>
          <option value="eu">European Union</option>
        </SelectField>
        <SelectField
          label="Business type"
          name="businessType"
          value={form.businessType}
          onChange={set("businessType")}
          error={error?.field("businessType")}
          hint="Gives the topic counters a starter list of what your customers usually ask about. Edit it under Reports → Topics."
        >
          <option value="">Not set</option>
          {BUSINESS_TYPES.map((t) => (
            <option key={t} value={t}>
              {BUSINESS_TYPE_LABELS[t]}
            </option>
          ))}
        </SelectField>
        <Field
          label="Keep data for (months)"
          name="retentionMonths"
          type="number"
          min={1}
          max={120}
          value={String(form.retentionMonths)}
          onChange={set("retentionMonths")}
          error={error?.field("retentionMonths")}
          hint="Older events are purged nightly. Default 24."
        />
        <Button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save settings"}
        </Button>
      </fieldset>
    </form>
  );
}
