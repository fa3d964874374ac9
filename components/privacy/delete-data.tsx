"use client";

import { useState } from "react";
import { usePrivacyPreferences } from "@/components/data/use-privacy-preferences.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { useOnDeleted } from "./preferences-shell.tsx";

/** Delete (P11), after a confirmation that says what goes. */
export function DeleteData({ business }: { business: string }) {
  const [asking, setAsking] = useState(false);
  const { deleteAll } = usePrivacyPreferences();
  const onDeleted = useOnDeleted();

  if (!asking)
    return (
      <Button variant="danger" onClick={() => setAsking(true)}>
        Delete my data…
      </Button>
    );
  return (
    <section aria-labelledby="confirm-delete" className="space-y-3 rounded-lg bg-red-50 p-4 ring-1 ring-red-200">
      <p id="confirm-delete" className="font-medium text-red-800">
        Delete everything {business} holds about you?
      </p>
      <p className="text-sm text-red-800">
        Your contact details, visits, messages, consent records and choices are deleted at once, and messages waiting to
        be sent to you are cancelled. This cannot be undone; download a copy first if you want one.
      </p>
      {deleteAll.isError ? <Alert tone="error">{deleteAll.error.message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="inline-flex items-center justify-center rounded-lg bg-red-700 px-3.5 py-2 text-sm font-medium text-white transition hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:cursor-not-allowed disabled:opacity-70"
          disabled={deleteAll.isPending}
          onClick={() => deleteAll.mutate(undefined, { onSuccess: (d) => onDeleted(d) })}
        >
          {deleteAll.isPending ? "Deleting…" : "Yes, delete everything"}
        </button>
        <Button variant="secondary" disabled={deleteAll.isPending} onClick={() => setAsking(false)}>
          Cancel
        </Button>
      </div>
    </section>
  );
}
