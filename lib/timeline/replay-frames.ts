import type { Sql } from "../db/raw-sql.ts";
import type { Fact, Lane, Step } from "./describe-event.ts";
import { LANE_LABELS } from "./describe-event.ts";
import { type JourneyEvent, journeyContext, toJourneyEvent } from "./get-journey.ts";
import { readTimeline } from "./get-timeline.ts";
import { dayKey, dayNumber, groupJourney } from "./group-journey.ts";

export const RUNG_NAMES = ["Device", "Returning device", "Email", "Phone", "Customer"] as const;

/** Events that make a paying customer: the replay's finish line. */
const PAID = new Set(["payment_succeeded", "checkout_completed"]);

/** The order lanes are drawn in: how a journey usually travels, ad to payment. */
const LANE_ORDER: Lane[] = [
  "ads",
  "web",
  "email",
  "sms",
  "whatsapp",
  "voice",
  "telegram",
  "webchat",
  "agent",
  "payment",
];

/** The most events one replay reads; a longer history replays its first this many. */
export const REPLAY_MAX_EVENTS = 5000;

export interface ReplayFrame {
  id: string;
  at: string;
  /** Since the first frame: "T+0", "T+12s", "T+4m", "T+2d 9h". */
  offset: string;
  /** "Day 3 · 2:30 PM" in the workspace's zone. */
  when: string;
  day: number;
  title: string;
  text: string | null;
  facts: Fact[];
  lane: Lane;
  step: Step;
  source: string;
  /** The rung they stood on right after this step. */
  rung: number;
  /** The rung this step took them to, when it did. */
  reached: number | null;
  /** How many signals the frame stands for (a burst of browsing is one frame). */
  count: number;
}

export type ReplayOutcome =
  | { kind: "converted"; frame: number; label: string }
  | { kind: "stopped"; frame: number; rung: number; label: string };

export interface Replay {
  frames: ReplayFrame[];
  lanes: { lane: Lane; label: string }[];
  rungs: { rung: number; label: string; frame: number | null }[];
  outcome: ReplayOutcome | null;
  total: number;
  truncated: boolean;
}

/** "T+0", "T+12s", "T+4m", "T+3h 05m", "T+2d 9h". */
export function offsetLabel(ms: number) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s === 0) return "T+0";
  if (s < 60) return `T+${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `T+${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `T+${h}h${m % 60 ? ` ${String(m % 60).padStart(2, "0")}m` : ""}`;
  const d = Math.floor(h / 24);
  return `T+${d}d${h % 24 ? ` ${h % 24}h` : ""}`;
}

const sinceWords = (ms: number) => {
  const days = Math.floor(ms / 86_400_000);
  if (days >= 1) return `${days} ${days === 1 ? "day" : "days"}`;
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 1) return `${hours} ${hours === 1 ? "hour" : "hours"}`;
  return "under an hour";
};

/**
 * The replay's frames from a person's events (oldest first): one frame per step, quick browsing folded into
 * one ("Viewed 6 pages in 4 min"), each with where it happened (lane), the rung after it and the rung it
 * reached; the ladder's rungs with the frame that reached each; and the outcome — the payment that made them
 * a customer, or the drop-off: the last step of a journey that stopped short of paying.
 */
export function buildReplay(
  events: readonly JourneyEvent[],
  opts: { timeZone: string; now: Date; total?: number },
): Replay {
  const first = events[0];
  if (!first) return { frames: [], lanes: [], rungs: [], outcome: null, total: 0, truncated: false };
  const firstDay = dayKey(first.occurredAt, opts.timeZone);
  const time = new Intl.DateTimeFormat("en-US", { timeZone: opts.timeZone, hour: "numeric", minute: "2-digit" });
  const start = Date.parse(first.occurredAt);
  const frame = (e: JourneyEvent, over: Partial<ReplayFrame> = {}): ReplayFrame => ({
    id: e.id,
    at: e.occurredAt,
    offset: offsetLabel(Date.parse(e.occurredAt) - start),
    when: `Day ${dayNumber(dayKey(e.occurredAt, opts.timeZone), firstDay)} · ${time.format(new Date(e.occurredAt))}`,
    day: dayNumber(dayKey(e.occurredAt, opts.timeZone), firstDay),
    title: e.title,
    text: e.text,
    facts: e.facts,
    lane: e.lane,
    step: e.step,
    source: e.source,
    rung: e.rung,
    reached: e.reached,
    count: 1,
    ...over,
  });
  const frames: ReplayFrame[] = [];
  let paidAt: number | null = null;
  for (const row of groupJourney(events, { timeZone: opts.timeZone, firstDay })) {
    if (row.kind === "event") {
      if (paidAt === null && PAID.has(row.event.type)) paidAt = frames.length;
      frames.push(frame(row.event));
    } else if (row.kind === "burst") {
      const [head] = row.events;
      const last = row.events.at(-1);
      if (!head || !last) continue;
      frames.push(
        frame(head, {
          title: row.label,
          text: null,
          facts: [...new Set(row.events.map((e) => e.facts.find((f) => f.label === "Page title")?.value ?? null))]
            .filter((v): v is string => !!v)
            .slice(0, 4)
            .map((value) => ({ label: "Page", value })),
          rung: last.rung,
          count: row.events.length,
        }),
      );
    }
  }
  const lanes = LANE_ORDER.filter((l) => frames.some((f) => f.lane === l)).map((lane) => ({
    lane,
    label: LANE_LABELS[lane],
  }));
  const rungs = RUNG_NAMES.map((label, rung) => {
    const at = frames.findIndex((f) => f.rung >= rung);
    return { rung, label, frame: at === -1 ? null : at };
  });
  const lastFrame = frames.length - 1;
  const final = frames[lastFrame] as ReplayFrame;
  const total = opts.total ?? events.length;
  const truncated = total > events.length;
  // A replay of only the first part of a history cannot say where it stopped.
  const outcome: ReplayOutcome | null =
    paidAt === null && truncated
      ? null
      : paidAt !== null
        ? { kind: "converted", frame: paidAt, label: `${(frames[paidAt] as ReplayFrame).title} — a paying customer` }
        : {
            kind: "stopped",
            frame: lastFrame,
            rung: final.rung,
            label: `Stopped at rung ${final.rung} · ${RUNG_NAMES[final.rung] ?? "?"} after “${final.title}”, ${sinceWords(
              opts.now.getTime() - Date.parse(final.at),
            )} ago; no payment`,
          };
  return { frames, lanes, rungs, outcome, total, truncated };
}

/** A person's replay (`GET /api/app/{ws}/people/{id}/replay`): up to REPLAY_MAX_EVENTS, read a keyset page at a time. */
export async function getReplay(
  db: Sql,
  workspace: { id: string; timezone: string },
  profileId: string,
  now = new Date(),
): Promise<Replay> {
  const ctx = await journeyContext(db, workspace.id, profileId);
  const events: JourneyEvent[] = [];
  let cursor: string | undefined;
  let more = false;
  do {
    const page = await readTimeline(db, workspace.id, profileId, { limit: 1000, cursor, full: true });
    for (const r of page.rows) events.push(toJourneyEvent(r, ctx));
    cursor = page.nextCursor ?? undefined;
    more = cursor !== undefined;
  } while (more && events.length < REPLAY_MAX_EVENTS);
  const [count] = more
    ? await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT "eventCount" AS n FROM "Profile" WHERE id = $1::uuid AND "workspaceId" = $2::uuid`,
        profileId,
        workspace.id,
      )
    : [];
  return buildReplay(events, {
    timeZone: workspace.timezone,
    now,
    total: more ? Math.max(count?.n ?? 0, events.length + 1) : events.length,
  });
}
