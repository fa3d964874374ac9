import Link from "next/link";
import { formatInZone } from "@/components/people/format.ts";
import { PersonAvatar } from "@/components/people/person-avatar.tsx";
import type { ConversationFilter, ConversationSummary } from "@/lib/conversations/list-conversations.ts";
import { formatPhone } from "@/lib/people/format-phone.ts";
import { ChannelPill, UnansweredBadge } from "./conversation-bits.tsx";

const num = (n: number) => n.toLocaleString("en-US");

/** A person's name, else their email or phone. */
export function conversationTitle(c: Pick<ConversationSummary, "person">) {
  return c.person.name ?? c.person.email ?? formatPhone(c.person.phone) ?? "Unknown person";
}

/**
 * The conversations list: one row per person across WhatsApp, SMS, email and phone, newest first; who, the
 * last thing said (or done) and where, and whether they wait for an answer. Rows are cards at every width.
 */
export function ConversationList({
  slug,
  timeZone,
  filter,
  conversations,
  nextCursor,
  counts,
  now,
  paged,
}: {
  slug: string;
  timeZone: string;
  filter: ConversationFilter;
  conversations: ConversationSummary[];
  nextCursor: string | null;
  counts: { all: number; unanswered: number };
  now: Date;
  paged: boolean;
}) {
  const base = `/app/${slug}/conversations`;
  const tab = (f: ConversationFilter, label: string, n: number) => (
    <Link
      href={f === "all" ? base : `${base}?filter=${f}`}
      aria-current={filter === f ? "page" : undefined}
      className={`rounded-full px-3 py-1 text-sm ring-1 ${filter === f ? "bg-slate-900 text-white ring-slate-900" : "bg-white text-slate-600 ring-slate-200 hover:ring-slate-300"}`}
    >
      {label} <span className="tabular-nums opacity-75">{num(n)}</span>
    </Link>
  );
  return (
    <div className="max-w-4xl space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Conversations</h1>
        <p className="mt-1 text-sm text-slate-500">
          One thread per person across WhatsApp, SMS, email and phone, newest first. Times in {timeZone}.
        </p>
      </div>
      <nav aria-label="Filter conversations" className="flex flex-wrap gap-2">
        {tab("all", "All", counts.all)}
        {tab("unanswered", "Unanswered", counts.unanswered)}
      </nav>
      {conversations.length ? (
        <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white">
          {conversations.map((c) => (
            <li key={c.id} data-testid="conversation-row">
              <Link
                href={`${base}/${c.id}`}
                className={`flex gap-3 px-4 py-3.5 hover:bg-slate-50 ${c.unanswered ? "bg-amber-50/40" : ""}`}
              >
                <PersonAvatar id={c.id} label={conversationTitle(c)} />
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <span className="min-w-0 truncate font-medium text-slate-900">{conversationTitle(c)}</span>
                    {c.unanswered ? <UnansweredBadge since={c.waitingSince} now={now} /> : null}
                    <span className="ml-auto shrink-0 text-xs tabular-nums text-slate-500">
                      {c.last ? formatInZone(c.last.occurredAt, timeZone) : ""}
                    </span>
                  </div>
                  {c.last ? (
                    <p className="mt-1 flex min-w-0 items-start gap-2 text-sm text-slate-600">
                      <ChannelPill channel={c.last.channel} via={c.last.via} />
                      <span className="line-clamp-2 min-w-0 break-words">
                        {c.last.direction === "out" && c.last.type !== "agent_action" ? (
                          <span className="text-slate-400">You: </span>
                        ) : null}
                        {c.last.preview}
                      </span>
                    </p>
                  ) : null}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="rounded-xl border border-slate-200 bg-white px-4 py-8 text-center text-sm text-slate-500">
          {filter === "unanswered"
            ? "Nobody is waiting for an answer."
            : "No conversations yet: WhatsApp and SMS messages, calls and emails appear here as they arrive."}
        </p>
      )}
      {nextCursor || paged ? (
        <nav aria-label="Pages" className="flex items-center justify-between gap-3">
          {paged ? (
            <Link href={filter === "all" ? base : `${base}?filter=${filter}`} className={pager}>
              ← Newest
            </Link>
          ) : (
            <span />
          )}
          {nextCursor ? (
            <Link
              href={`${base}?${new URLSearchParams({ ...(filter === "all" ? {} : { filter }), cursor: nextCursor })}`}
              rel="next"
              className={pager}
            >
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

const pager =
  "inline-block rounded-lg bg-white px-3.5 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50";
