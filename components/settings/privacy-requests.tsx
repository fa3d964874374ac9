import Link from "next/link";
import { formatInZone } from "@/components/people/format.ts";
import type { LoggedRequest } from "@/lib/privacy/privacy-log.ts";

const KIND: Record<string, string> = { export: "Export", erasure: "Erasure", opt_out: "Opt-out" };
const VIA: Record<string, string> = {
  preferences: "Preferences page",
  unsubscribe: "Unsubscribe link",
  sms: "SMS reply",
  api: "API",
  owner: "This app",
};
const CHANNEL: Record<string, string> = {
  email: "email",
  "email:marketing": "marketing email",
  "email:transactional": "all email",
  sms: "SMS",
  whatsapp: "WhatsApp",
  tracking: "tracking",
  all: "everything",
};
const DAY = 86_400_000;

/** "Opt-out of SMS", "Export", "Erasure". */
function what(r: LoggedRequest) {
  const kind = KIND[r.kind] ?? r.kind;
  if (r.kind !== "opt_out" || !r.channels.length) return kind;
  return `${kind} of ${r.channels.map((c) => CHANNEL[c] ?? c).join(", ")}`;
}

function Due({ r, now }: { r: LoggedRequest; now: number }) {
  if (r.completedAt) return null;
  const days = Math.ceil((r.dueAt.getTime() - now) / DAY);
  return days < 0 ? (
    <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-red-200">
      Overdue by {-days} {days === -1 ? "day" : "days"}
    </span>
  ) : (
    <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200">
      Due in {days} {days === 1 ? "day" : "days"}
    </span>
  );
}

/** One list of the request log: what, who, how it came in, and its received / due / completed times. */
export function PrivacyRequestList({
  slug,
  zone,
  requests,
  label,
  empty,
}: {
  slug: string;
  zone: string;
  requests: LoggedRequest[];
  label: string;
  empty: string;
}) {
  const now = Date.now();
  if (!requests.length) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ol className="divide-y divide-slate-100" aria-label={label}>
      {requests.map((r) => (
        <li
          key={r.id}
          className="grid gap-1 py-3 text-sm sm:grid-cols-[1fr_auto] sm:gap-4"
          data-testid="privacy-request"
        >
          <div className="min-w-0 space-y-0.5">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium text-slate-800">{what(r)}</span>
              <Due r={r} now={now} />
            </div>
            <div className="text-slate-600">
              {r.person ? (
                <Link
                  href={`/app/${slug}/people/${r.person.id}`}
                  className="break-words text-brand-700 hover:underline"
                >
                  {r.person.name}
                </Link>
              ) : (
                <span>{r.kind === "erasure" && r.completedAt ? "Erased person" : "No longer on record"}</span>
              )}{" "}
              · {VIA[r.via] ?? r.via}
            </div>
          </div>
          <dl className="grid grid-cols-[auto_1fr] gap-x-2 text-xs text-slate-500 sm:text-right">
            <dt>Received</dt>
            <dd>
              <time dateTime={r.receivedAt.toISOString()}>{formatInZone(r.receivedAt, zone)}</time>
            </dd>
            <dt>Due</dt>
            <dd>
              <time dateTime={r.dueAt.toISOString()}>{formatInZone(r.dueAt, zone, { dateStyle: "medium" })}</time>
            </dd>
            <dt>Completed</dt>
            <dd>
              {r.completedAt ? (
                <time dateTime={r.completedAt.toISOString()}>{formatInZone(r.completedAt, zone)}</time>
              ) : (
                "—"
              )}
            </dd>
          </dl>
        </li>
      ))}
    </ol>
  );
}
