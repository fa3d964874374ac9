"use client";

import { type FormEvent, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import { useSiteKeyOrigins } from "@/components/data/use-workspace-admin.ts";
import { Button } from "@/components/ui/button.tsx";
import { Label } from "@/components/ui/field.tsx";

/** The origins whose pages may send events with the site key: one per line, empty for any page. */
export function SiteKeyOrigins({ slug, initial, canEdit }: { slug: string; initial: string[]; canEdit: boolean }) {
  const save = useSiteKeyOrigins(slug);
  const [text, setText] = useState(initial.join("\n"));
  const error = save.error instanceof ApiError ? save.error : null;
  const problem = error?.details.find((d) => d.path.startsWith("allowedOrigins"));
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate(lines, { onSuccess: (saved) => setText(saved.allowedOrigins.join("\n")) });
  }

  return (
    <form onSubmit={submit} className="space-y-2">
      <Label htmlFor="allowed-origins">Allowed origins</Label>
      <textarea
        id="allowed-origins"
        rows={3}
        disabled={!canEdit}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={"https://www.acme.test\nhttps://acme.test"}
        aria-invalid={problem ? true : undefined}
        aria-describedby="allowed-origins-hint"
        className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-brand-500 focus:outline-2 focus:outline-brand-500/30 disabled:bg-slate-50 aria-invalid:border-red-500"
      />
      <p id="allowed-origins-hint" className={`text-xs ${problem ? "text-red-600" : "text-slate-500"}`}>
        {problem
          ? `Line ${Number(/\[(\d+)\]/.exec(problem.path)?.[1] ?? 0) + 1}: ${problem.message}`
          : "One per line. Leave empty to accept events from any page; once set, pages of other sites are refused."}
      </p>
      {canEdit ? (
        <div className="flex items-center gap-3">
          <Button type="submit" variant="secondary" disabled={save.isPending}>
            Save origins
          </Button>
          {save.isSuccess ? <span className="text-sm text-emerald-700">Saved.</span> : null}
          {error && !problem ? <span className="text-sm text-red-600">{error.message}</span> : null}
        </div>
      ) : null}
    </form>
  );
}
