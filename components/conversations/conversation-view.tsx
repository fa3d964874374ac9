"use client";

import Link from "next/link";
import { type ConversationData, useConversation } from "@/components/data/use-conversation.ts";
import { formatInZone } from "@/components/people/format.ts";
import { PersonAvatar } from "@/components/people/person-avatar.tsx";
import { RungBadge } from "@/components/people/rung-badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ChannelPill, waitingFor } from "./conversation-bits.tsx";

type Item = ConversationData["items"][number];

const STATUS_WORDS: Record<string, string> = {
  queued: "queued",
  accepted: "queued",
  sending: "sending",
  sent: "sent",
  delivered: "delivered",
  read: "read",
  failed: "failed",
  undelivered: "not delivered",
  opened: "opened",
  clicked: "clicked",
  bounced: "bounced",
  "marked as spam": "marked as spam",
};
const FAILED = new Set(["failed", "undelivered", "bounced", "marked as spam"]);

/**
 * One person's conversation across channels, as a chat reads: oldest at the top, the newest page first from
 * the server, earlier ones on demand; days in the workspace's zone; each message with its channel ("via
 * WhatsApp"), time, direction and delivery status; calls, voicemails, agents' actions and statuses between.
 */
export function ConversationView({
  slug,
  timeZone,
  initial,
  phone,
}: {
  slug: string;
  timeZone: string;
  initial: ConversationData;
  /** The person's phone as people read it (formatted on the server). */
  phone: string | null;
}) {
  const query = useConversation(slug, initial.id, initial);
  const pages = query.data?.pages ?? [initial];
  const head = pages[0] ?? initial;
  const items = [...pages].reverse().flatMap((p) => p.items);
  const title = head.person.name ?? head.person.email ?? phone ?? "Unknown person";
  const day = (at: string) =>
    formatInZone(at, timeZone, { weekday: "short", month: "short", day: "numeric", year: "numeric" });
  return (
    <div className="max-w-3xl space-y-5">
      <div>
        <Link href={`/app/${slug}/conversations`} className="text-sm text-slate-500 hover:text-slate-800">
          ← Conversations
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <PersonAvatar id={head.id} label={title} size="lg" />
          <div className="min-w-0 flex-1">
            <h1 className="flex flex-wrap items-center gap-x-2.5 gap-y-1 text-xl font-semibold">
              <span className="break-words">{title}</span>
              <RungBadge rung={head.person.rung} />
            </h1>
            <p className="flex flex-wrap gap-x-3 text-sm text-slate-500">
              {head.person.name && head.person.email ? <span className="break-all">{head.person.email}</span> : null}
              {phone && phone !== title ? <span className="whitespace-nowrap">{phone}</span> : null}
            </p>
          </div>
          <Link href={`/app/${slug}/people/${head.id}`} className="text-sm font-medium text-brand-700 hover:underline">
            Whole journey →
          </Link>
        </div>
        {head.channels.length ? (
          <p className="mt-2 flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
            Channels
            {head.channels.map((c) => (
              <ChannelPill key={c} channel={c} via={channelName(c)} />
            ))}
          </p>
        ) : null}
      </div>

      <section
        aria-label="Conversation"
        className="rounded-xl border border-slate-200 bg-slate-50/60 px-3 py-4 sm:px-5"
      >
        {query.hasNextPage ? (
          <div className="mb-4 text-center">
            <Button variant="secondary" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? "Loading…" : "Show earlier messages"}
            </Button>
          </div>
        ) : null}
        {items.length ? (
          <ol className="space-y-2.5">
            {items.map((item, i) => {
              const newDay = i === 0 || day(items[i - 1]!.occurredAt) !== day(item.occurredAt);
              return (
                <li key={item.id}>
                  {newDay ? (
                    <p className="my-3 text-center text-xs font-medium text-slate-500">
                      <span className="rounded-full bg-white px-2.5 py-0.5 ring-1 ring-slate-200">
                        {day(item.occurredAt)}
                      </span>
                    </p>
                  ) : null}
                  <ThreadItem item={item} timeZone={timeZone} />
                </li>
              );
            })}
          </ol>
        ) : (
          <p className="py-6 text-center text-sm text-slate-500">No messages, calls or emails with this person yet.</p>
        )}
        {head.unanswered && head.waitingSince ? (
          <p
            role="status"
            className="mt-4 rounded-lg bg-amber-100 px-3 py-2 text-center text-sm font-medium text-amber-900"
            data-testid="unanswered"
            suppressHydrationWarning
          >
            Unanswered: waiting since {formatInZone(head.waitingSince, timeZone)} (
            {waitingFor(head.waitingSince, new Date())})
          </p>
        ) : null}
      </section>
    </div>
  );
}

function channelName(c: string) {
  return (
    { whatsapp: "WhatsApp", sms: "SMS", email: "email", voice: "phone", telegram: "Telegram", webchat: "web chat" }[
      c
    ] ?? c
  );
}

function Meta({ item, timeZone }: { item: Item; timeZone: string }) {
  const status = item.direction === "out" && item.status ? (STATUS_WORDS[item.status] ?? item.status) : null;
  return (
    <p className="mt-1 flex flex-wrap items-center gap-x-1.5 text-[11px] text-slate-500">
      {item.via ? <span>via {item.via}</span> : null}
      <span aria-hidden>·</span>
      <time dateTime={item.occurredAt}>{formatInZone(item.occurredAt, timeZone, { timeStyle: "short" })}</time>
      {item.agent && item.kind !== "agent" ? <span>· by the {item.agent.replace(/_/g, " ")} agent</span> : null}
      {status ? (
        <span className={FAILED.has(status) ? "font-medium text-red-700" : ""} data-testid="message-status">
          · {status}
        </span>
      ) : null}
    </p>
  );
}

function ThreadItem({ item, timeZone }: { item: Item; timeZone: string }) {
  const out = item.direction === "out";
  const side = out ? "justify-end" : "justify-start";
  if (item.kind === "status") {
    return (
      <p className="text-center text-xs text-slate-500" data-testid="thread-status">
        {item.title}
        {item.via ? ` · via ${item.via}` : ""} · {formatInZone(item.occurredAt, timeZone, { timeStyle: "short" })}
      </p>
    );
  }
  if (item.kind === "agent") {
    return (
      <div className={`flex ${side}`} data-testid="thread-item" data-direction={item.direction ?? ""}>
        <div className="max-w-[85%] rounded-xl border border-dashed border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 md:max-w-[70%]">
          <span className="mr-1.5 rounded bg-slate-100 px-1 py-px text-[10px] font-semibold uppercase tracking-wide text-slate-500">
            Agent
          </span>
          {item.title}
          <Meta item={item} timeZone={timeZone} />
        </div>
      </div>
    );
  }
  const missed = item.type === "call_missed";
  const bubble = out ? "bg-brand-50 ring-brand-100" : missed ? "bg-red-50 ring-red-200" : "bg-white ring-slate-200";
  return (
    <div className={`flex ${side}`} data-testid="thread-item" data-direction={item.direction ?? ""}>
      <div className={`min-w-0 max-w-[85%] rounded-2xl px-3.5 py-2 text-sm ring-1 md:max-w-[70%] ${bubble}`}>
        {item.kind === "call" ? (
          <p className={`font-medium ${missed ? "text-red-800" : "text-slate-800"}`}>
            <span aria-hidden className="mr-1">
              ☎
            </span>
            {item.title}
          </p>
        ) : null}
        {item.kind === "email" && item.title ? (
          <p className={`font-semibold text-slate-900 ${item.text ? "mb-1 border-b border-slate-900/10 pb-1" : ""}`}>
            <span className="sr-only">Subject: </span>
            {item.title}
          </p>
        ) : null}
        {item.kind === "message" && !item.text && item.title ? (
          <p className="italic text-slate-600">{item.title}</p>
        ) : null}
        {item.text ? <p className="whitespace-pre-wrap break-words text-slate-900">{item.text}</p> : null}
        {item.media.length ? (
          <ul className="mt-1 space-y-0.5 text-xs">
            {item.media.map((m, i) => (
              <li key={m}>
                <a href={m} target="_blank" rel="noreferrer noopener" className="text-brand-700 underline">
                  Attachment {i + 1}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        {item.recordingUrl ? (
          <a
            href={item.recordingUrl}
            target="_blank"
            rel="noreferrer noopener"
            className="mt-1 inline-block text-xs font-medium text-brand-700 underline"
          >
            Listen to the recording
          </a>
        ) : null}
        <Meta item={item} timeZone={timeZone} />
      </div>
    </div>
  );
}
