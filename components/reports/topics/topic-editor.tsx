"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { ApiError, fetchJson } from "@/components/data/fetch-json.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field, Label, SelectField } from "@/components/ui/field.tsx";

interface EditableTopic {
  id: string;
  label: string;
  offered: boolean;
  terms: string[];
}

function useAction(slug: string) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (path: string, method: string, body: unknown, message: string, next?: string) => {
    setPending(true);
    setError(null);
    setDone(null);
    try {
      await fetchJson(`/api/app/${slug}/topics${path}`, { method, body });
      setDone(message);
      if (next) router.push(next);
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "error", (e as Error).message));
    } finally {
      setPending(false);
    }
  };
  return { pending, error, done, run };
}

/** The words that count as a topic: a textarea, so a long list wraps on a phone instead of scrolling away. */
function TermsField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (v: string) => void;
  error: string | null;
}) {
  const id = useId();
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>Also counts</Label>
      <textarea
        id={id}
        name="terms"
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
        className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs focus:border-brand-500 focus:outline-2 focus:outline-brand-500/30 aria-invalid:border-red-500"
      />
      <p id={`${id}-hint`} className={`text-xs ${error ? "text-red-600" : "text-slate-500"}`}>
        {error ?? "Words or phrases, separated by commas; plurals are found on their own."}
      </p>
    </div>
  );
}

/**
 * The owner's edits of one topic: its name, the words that count as it, "we don't offer this", ignore it, or
 * merge it into another topic (its messages and counts go along).
 */
export function TopicEditor({
  slug,
  topic,
  others,
  back,
}: {
  slug: string;
  topic: EditableTopic;
  others: { id: string; label: string }[];
  back: string;
}) {
  const { pending, error, done, run } = useAction(slug);
  const [label, setLabel] = useState(topic.label);
  const [terms, setTerms] = useState(topic.terms.join(", "));
  const [into, setInto] = useState("");

  function save(e: FormEvent) {
    e.preventDefault();
    const list = terms
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    void run(`/${topic.id}`, "PATCH", { label, terms: list }, "Saved. New words count from the next messages on.");
  }

  return (
    <div className="space-y-3" data-testid="topic-editor">
      {done ? <Alert tone="success">{done}</Alert> : null}
      {error && !error.details.length ? <Alert tone="error">{error.message}</Alert> : null}
      <form onSubmit={save} className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Name"
          name="label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          error={error?.field("label")}
        />
        <TermsField value={terms} onChange={setTerms} error={error?.field("terms") ?? null} />
        <div className="sm:col-span-2">
          <Button type="submit" disabled={pending}>
            Save
          </Button>
        </div>
      </form>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() =>
            void run(
              `/${topic.id}`,
              "PATCH",
              { offered: !topic.offered },
              topic.offered ? "Marked as something you don't offer." : "Marked as offered.",
            )
          }
        >
          {topic.offered ? "We don't offer this" : "We offer this"}
        </Button>
        <Button
          variant="ghost"
          disabled={pending}
          onClick={() => void run(`/${topic.id}`, "PATCH", { ignored: true }, "Ignored: no longer counted.", back)}
        >
          Ignore this topic
        </Button>
      </div>
      {others.length ? (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (into) void run(`/${topic.id}/merge`, "POST", { into }, "Merged.", `${back}&topic=${into}`);
          }}
        >
          <div className="min-w-48 flex-1">
            <SelectField label="Merge into" name="into" value={into} onChange={(e) => setInto(e.target.value)}>
              <option value="">Choose a topic…</option>
              {others.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </SelectField>
          </div>
          <Button type="submit" variant="secondary" disabled={pending || !into}>
            Merge
          </Button>
        </form>
      ) : null}
    </div>
  );
}

/** A topic of the owner's own: a name and the words that count as it. */
export function AddTopic({ slug }: { slug: string }) {
  const { pending, error, done, run } = useAction(slug);
  const [label, setLabel] = useState("");
  const [terms, setTerms] = useState("");
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const list = terms
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean);
        void run("", "POST", { label, terms: list }, `Added "${label}": counted from the next messages on.`).then(
          () => {
            setLabel("");
            setTerms("");
          },
        );
      }}
    >
      {done ? <Alert tone="success">{done}</Alert> : null}
      {error && !error.details.length ? <Alert tone="error">{error.message}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Topic"
          name="new-label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          error={error?.field("label")}
        />
        <Field
          label="Words that count as it"
          name="new-terms"
          value={terms}
          onChange={(e) => setTerms(e.target.value)}
          error={error?.field("terms")}
          hint="Optional, separated by commas."
        />
      </div>
      <Button type="submit" disabled={pending || !label.trim()}>
        Add topic
      </Button>
    </form>
  );
}
