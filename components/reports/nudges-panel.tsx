"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMarkNudge } from "@/components/data/use-nudges.ts";
import { formatInZone } from "@/components/people/format.ts";
import { Button } from "@/components/ui/button.tsx";

export interface NudgeRow {
  id: string;
  title: string;
  action: string;
  person: { id: string; name: string };
  occurredAt: string;
  seenAt: string | null;
  webhook: { state: string } | null;
}

/** The overview's open nudges: who, what happened, what to do; Done takes it off the list, Seen clears "New". */
export function NudgesPanel({
  slug,
  zone,
  count,
  items,
}: {
  slug: string;
  zone: string;
  count: number;
  items: NudgeRow[];
}) {
  const router = useRouter();
  const mark = useMarkNudge(slug);
  const [busy, setBusy] = useState<string | null>(null);
  const act = (id: string, body: { done?: boolean; seen?: true }) => {
    setBusy(id);
    mark.mutate(
      { id, ...body },
      {
        onSettled: () => setBusy(null),
        onSuccess: () => router.refresh(),
      },
    );
  };
  return (
    <section
      className="rounded-xl border border-amber-200 bg-white shadow-xs"
      aria-labelledby="nudges-title"
      data-testid="nudges-panel"
    >
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <h2 id="nudges-title" className="text-base font-semibold text-slate-900">
          Nudges ({count.toLocaleString("en-US")} open)
        </h2>
        <Link href={`/app/${slug}/settings/nudges`} className="text-sm font-medium text-brand-700 hover:underline">
          Rules
        </Link>
      </header>
      {mark.error ? (
        <p role="alert" className="px-4 pt-3 text-sm text-red-700 sm:px-5">
          {mark.error.message}
        </p>
      ) : null}
      {items.length ? (
        <ul className="divide-y divide-slate-100">
          {items.map((n) => (
            <li
              key={n.id}
              className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 text-sm sm:px-5"
              data-testid="nudge"
            >
              <div className="min-w-0 flex-1">
                <p className="font-medium text-slate-900">
                  {n.seenAt ? null : (
                    <span className="mr-1.5 rounded-full bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800">
                      New
                    </span>
                  )}
                  {n.title}
                </p>
                <p className="text-slate-600">
                  <Link
                    href={`/app/${slug}/people/${n.person.id}`}
                    className="font-medium text-slate-900 hover:text-brand-700"
                  >
                    {n.person.name}
                  </Link>{" "}
                  · {formatInZone(n.occurredAt, zone)} · {n.action}
                  {n.webhook?.state === "failed" ? " · webhook failed" : ""}
                </p>
              </div>
              <div className="flex gap-2">
                {n.seenAt ? null : (
                  <Button variant="ghost" disabled={busy === n.id} onClick={() => act(n.id, { seen: true })}>
                    Seen
                  </Button>
                )}
                <Button variant="secondary" disabled={busy === n.id} onClick={() => act(n.id, { done: true })}>
                  Done
                </Button>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="px-4 py-6 text-sm text-slate-500 sm:px-5">
          Nothing to act on.{" "}
          <Link href={`/app/${slug}/settings/nudges`} className="font-medium text-brand-700 hover:underline">
            Choose which moments nudge you
          </Link>
          .
        </p>
      )}
    </section>
  );
}
