import Link from "next/link";
import type { LastPurge } from "@/lib/privacy/purge-expired.ts";

const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");
const plural = (v: number | undefined, one: string, many: string) => `${n(v)} ${v === 1 ? one : many}`;
const day = (iso: string, timeZone: string) =>
  new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });

/** "Last purge: Dec 2, 2026, 3:30 AM — removed 1,204 events, 3 people." — what the nightly purge really did. */
export function PurgeSummary({ last, timeZone }: { last: LastPurge | null; timeZone: string }) {
  if (!last) return <>The nightly purge has not run for this workspace yet.</>;
  if (last.status !== "done")
    return (
      <>
        The last purge ({day(last.at, timeZone)}) failed: {last.result.error ?? "see the server log"}. It runs again
        tonight.
      </>
    );
  const r = last.result;
  const removed = [
    plural(r.events, "event", "events"),
    plural(r.messages, "message", "messages"),
    plural(r.people, "person", "people"),
  ].join(", ");
  return (
    <>
      Last purge {day(last.at, timeZone)}: removed {removed}
      {r.cutoff ? ` older than ${day(r.cutoff, timeZone)}` : ""}.
    </>
  );
}

/** The General settings' line under the retention field, linking to the details. */
export function PurgeLine({ slug, last, timeZone }: { slug: string; last: LastPurge | null; timeZone: string }) {
  return (
    <p className="text-sm text-slate-500" data-testid="purge-line">
      <PurgeSummary last={last} timeZone={timeZone} />{" "}
      <Link href={`/app/${slug}/settings/data`} className="font-medium text-brand-700 hover:underline">
        Retention and export
      </Link>
    </p>
  );
}
