import type { Sql } from "../db/raw-sql.ts";
import { SOURCES } from "../ingest/schemas.ts";
import { peopleByRung } from "./ladder-report.ts";
import { type PersonLabel, personLabels } from "./person-labels.ts";
import { reachedByDay } from "./reached-by-day.ts";
import type { ReportRange } from "./report-range.ts";
import { money, signalCounts, total } from "./signal-counts.ts";
import { daysBetween } from "./zone.ts";

export interface OverviewDay {
  day: string;
  /** Signals per source (all seven keys present). */
  signals: Record<string, number>;
  /** People who first stood on each rung (0–4) that day. */
  reached: number[];
  /** Deposits paid that day, in minor units of the workspace's main currency. */
  deposits: number;
}

export interface Overview {
  from: string;
  to: string;
  timezone: string;
  /** The currency `days[].deposits` is in (the one with the most money in the range), or null. */
  currency: string | null;
  days: OverviewDay[];
  totals: {
    signals: number;
    newPeople: number;
    newLeads: number;
    newCustomers: number;
    payers: number;
    deposits: { currency: string; amount: number; count: number }[];
    refunds: { currency: string; amount: number; count: number }[];
  };
  now: { people: number; customers: number; byRung: number[] };
  unanswered: {
    count: number;
    oldest: { conversationId: string; channel: string | null; since: string; person: PersonLabel | null }[];
  };
  recent: {
    id: string;
    occurredAt: string;
    source: string;
    type: string;
    summary: string;
    person: PersonLabel | null;
  }[];
}

const RECENT = 12;

/**
 * The owner's overview for a range in the workspace's zone: signals per day by source, people reaching each
 * rung per day, customers and deposits, unanswered threads, recent activity. Every figure comes from an index
 * or a rollup (decision 011): SignalHour for signals and money, RungQuarter for the rungs, the partial
 * indexes for payers and unanswered threads, the (workspaceId, occurredAt) index for the latest events.
 */
export async function overviewReport(db: Sql, workspaceId: string, range: ReportRange): Promise<Overview> {
  const [signals, reached, payers, byRung, unanswered, waiting, recent] = await Promise.all([
    signalCounts(db, workspaceId, range),
    reachedByDay(db, workspaceId, range),
    db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(DISTINCT "profileId")::int AS n FROM "Event"
       WHERE "workspaceId" = $1::uuid AND type = 'payment_succeeded' AND "occurredAt" >= $2 AND "occurredAt" < $3`,
      workspaceId,
      range.from,
      range.to,
    ),
    peopleByRung(db, workspaceId),
    db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "PersonThread" WHERE "workspaceId" = $1::uuid AND awaiting`,
      workspaceId,
    ),
    // The conversations list's own definition (decision 017): one per person, across channels.
    db.$queryRawUnsafe<{ id: string; profileId: string; channel: string | null; since: Date }[]>(
      `SELECT "profileId" AS id, "profileId", "lastChannel" AS channel, "waitingSince" AS since FROM "PersonThread"
       WHERE "workspaceId" = $1::uuid AND awaiting ORDER BY "waitingSince", "profileId" LIMIT 5`,
      workspaceId,
    ),
    db.$queryRawUnsafe<
      { id: string; occurredAt: Date; source: string; type: string; summary: string | null; profileId: string | null }[]
    >(
      `SELECT id, "occurredAt", source::text AS source, type, summary, "profileId" FROM "Event"
       WHERE "workspaceId" = $1::uuid AND "occurredAt" < $2 ORDER BY "occurredAt" DESC LIMIT ${RECENT}`,
      workspaceId,
      range.to,
    ),
  ]);
  const people = await personLabels(
    db,
    workspaceId,
    [...waiting.map((w) => w.profileId), ...recent.map((e) => e.profileId)].filter((id): id is string => !!id),
  );

  const isPayment = (r: { type: string }) => r.type === "payment_succeeded";
  const deposits = money(signals, isPayment);
  const currency = deposits[0]?.currency ?? null;
  const days = new Map<string, OverviewDay>(
    daysBetween(range.from, range.to, range.timezone).map((day) => [
      day,
      { day, signals: Object.fromEntries(SOURCES.map((s) => [s, 0])), reached: [0, 0, 0, 0, 0], deposits: 0 },
    ]),
  );
  for (const s of signals) {
    const d = days.get(s.day);
    if (!d) continue;
    d.signals[s.source] = (d.signals[s.source] ?? 0) + s.count;
    if (isPayment(s) && s.currency === currency) d.deposits += s.amount;
  }
  for (const r of reached) {
    const d = days.get(r.day);
    if (d) d.reached[r.rung] = (d.reached[r.rung] ?? 0) + r.n;
  }
  const reachedTotal = (rung: number) => reached.filter((r) => r.rung === rung).reduce((n, r) => n + r.n, 0);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    timezone: range.timezone,
    currency,
    days: [...days.values()],
    totals: {
      signals: total(signals),
      newPeople: reachedTotal(0),
      newLeads: reachedTotal(2),
      newCustomers: reachedTotal(4),
      payers: payers[0]?.n ?? 0,
      deposits,
      refunds: money(signals, (r) => r.type === "payment_refunded"),
    },
    now: { people: byRung.reduce((a, b) => a + b, 0), customers: byRung[4] ?? 0, byRung },
    unanswered: {
      count: unanswered[0]?.n ?? 0,
      oldest: waiting.map((w) => ({
        conversationId: w.id,
        channel: w.channel,
        since: w.since.toISOString(),
        person: people.get(w.profileId) ?? null,
      })),
    },
    recent: recent.map((e) => ({
      id: e.id,
      occurredAt: e.occurredAt.toISOString(),
      source: e.source,
      type: e.type,
      summary: e.summary ?? e.type,
      person: e.profileId ? (people.get(e.profileId) ?? null) : null,
    })),
  };
}
