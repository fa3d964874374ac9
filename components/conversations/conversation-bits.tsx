const PILL: Record<string, string> = {
  whatsapp: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  sms: "bg-sky-50 text-sky-800 ring-sky-200",
  email: "bg-indigo-50 text-indigo-800 ring-indigo-200",
  voice: "bg-violet-50 text-violet-800 ring-violet-200",
};

/** "via WhatsApp": the channel of a message, coloured per channel. */
export function ChannelPill({ channel, via }: { channel: string | null; via: string | null }) {
  if (!via) return null;
  return (
    <span
      className={`inline-flex shrink-0 items-center rounded-full px-1.5 py-px text-[11px] font-medium ring-1 ${PILL[channel ?? ""] ?? "bg-slate-50 text-slate-700 ring-slate-200"}`}
    >
      via {via}
    </span>
  );
}

/** "3 h", "2 days": how long someone has been waiting. */
export function waitingFor(since: Date | string, now: Date) {
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(since).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/** The flag of a conversation whose last word is the customer's. */
export function UnansweredBadge({ since, now }: { since: Date | string | null; now: Date }) {
  return (
    <span
      className="inline-flex shrink-0 items-center gap-1 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
      data-testid="unanswered"
    >
      <span aria-hidden className="size-1.5 rounded-full bg-amber-500" />
      Unanswered{since ? ` · waiting ${waitingFor(since, now)}` : ""}
    </span>
  );
}
