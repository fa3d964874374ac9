import { touchChannelSql } from "../campaigns/touch-channel.ts";
import { appUrl } from "../config/env.ts";
import type { Sql } from "../db/raw-sql.ts";
import { gaComparison, type QuestionId } from "../reports/ga-comparison.ts";
import { reachedTotals } from "../reports/reached-by-day.ts";
import { money, signalCounts, total } from "../reports/signal-counts.ts";
import { addDays, localDay } from "../reports/zone.ts";
import { summaryRefunds } from "./summary-refunds.ts";
import { summaryTopics } from "./summary-topics.ts";
import { type SummaryWeek, summaryWeek } from "./summary-week.ts";

/** A figure of the week with last week's and the change between them. */
export interface Figure {
  value: number;
  previous: number;
  change: number;
}
export interface MoneyFigure extends Figure {
  currency: string;
}

export interface WeeklySummary {
  week: string;
  from: string;
  to: string;
  previous: { from: string; to: string };
  timezone: string;
  workspace: { id: string; slug: string; name: string };
  /** The owner app's pages each part links to (absolute, APP_URL). */
  links: Record<
    "overview" | "people" | "customers" | "conversations" | "campaigns" | "topics" | "refunds" | "ga",
    string
  >;
  newPeople: { total: Figure; byRung: Figure[] };
  customers: { new: Figure; payers: Figure };
  deposits: { payments: Figure; amounts: MoneyFigure[] };
  unanswered: {
    /** Conversations waiting for an answer as the summary is made. */
    waiting: number;
    /** Of those, the ones left waiting during this week, against those of last week still waiting. */
    leftThisWeek: Figure;
    oldest: { channel: string | null; since: string; url: string }[];
  };
  campaigns: { source: string; medium: string; campaign: string; people: Figure; customers: number }[];
  topics: { name: string; label: string; offered: boolean; count: Figure }[];
  refunds: {
    count: Figure;
    amounts: MoneyFigure[];
    latest: { amount: number; currency: string; at: string; url: string | null }[];
  };
  gaMissed: {
    id: QuestionId;
    question: string;
    ga: string;
    answer: string;
    figure: Figure | null;
    url: string | null;
  }[];
}

const figure = (value: number, previous: number): Figure => ({ value, previous, change: value - previous });

/** The GA comparison's figure each question is measured by, week against week. */
const GA_FIGURE: Record<QuestionId, string> = {
  identity: "people",
  whatsapp: "whatsappMessages",
  paid: "payers",
  ads: "adClicks",
  drop_off: "stalled",
  cancelled: "refunds",
  journey: "signals",
  demand: "topics",
};

const num = (f: Record<string, unknown>, k: string) => (typeof f[k] === "number" ? (f[k] as number) : 0);
const nf = (v: number) => v.toLocaleString("en-US");
const many = (v: number, one: string, more = `${one}s`) => `${nf(v)} ${v === 1 ? one : more}`;

/**
 * The answer in the mail, from the GA comparison's figures: its own sentences name the customer they prove
 * with (a name or an email), which stays in the app.
 */
const GA_ANSWER: Record<QuestionId, (f: Record<string, unknown>) => string> = {
  identity: (f) =>
    `${many(num(f, "people"), "person", "people")} identified, stitched from ${many(num(f, "devices"), "device")}.`,
  whatsapp: (f) =>
    `${many(num(f, "whatsappMessages"), "WhatsApp message")} (${nf(num(f, "whatsappFromCustomers"))} from customers), ${many(num(f, "smsMessages"), "SMS", "SMS")}, each in full.`,
  paid: (f) =>
    `${many(num(f, "payers"), "person", "people")} paid: ${many(num(f, "payments"), "payment")} from Stripe.`,
  ads: (f) =>
    `${many(num(f, "adClicks"), "ad click")}, ${many(num(f, "qualifiedLeads"), "lead")} qualified, ${many(num(f, "newCustomers"), "new customer")}, ${many(num(f, "conversionsSent"), "conversion")} sent back.`,
  drop_off: (f) => `${many(num(f, "stalled"), "person", "people")} stopped at rung ${num(f, "rung")}; replay where.`,
  cancelled: (f) =>
    `${many(num(f, "refunds"), "refund")} and ${many(num(f, "cancellations"), "cancelled booking")}, each with its whole thread.`,
  journey: (f) => `${many(num(f, "signals"), "signal")}, each on its person's timeline.`,
  demand: (f) =>
    `${many(num(f, "topics"), "topic")} asked about in ${many(num(f, "customerMessages"), "message")} from customers, ${nf(num(f, "notOffered"))} not on your list.`,
};

const moneyFigures = (now: { currency: string; amount: number }[], before: { currency: string; amount: number }[]) => {
  const currencies = [...new Set([...now.map((m) => m.currency), ...before.map((m) => m.currency)])];
  const of = (list: typeof now, c: string) => list.find((m) => m.currency === c)?.amount ?? 0;
  return currencies
    .map((currency) => ({ currency, ...figure(of(now, currency), of(before, currency)) }))
    .sort((a, b) => b.value - a.value || b.previous - a.previous || a.currency.localeCompare(b.currency));
};

const sumRefunds = (rows: { amount: number; currency: string }[]) => {
  const by = new Map<string, number>();
  for (const r of rows) if (r.currency) by.set(r.currency, (by.get(r.currency) ?? 0) + r.amount);
  return [...by].map(([currency, amount]) => ({ currency, amount }));
};

/**
 * The figures of one week's Friday summary (API.md `GET /api/v1/reports/weekly-summary?week=`), each against
 * the week before, with links into the owner app. Every figure comes from the reports' own readers (rollups
 * and indexes, decision 011): signals and money from SignalHour, new people from RungQuarter, unanswered from
 * PersonThread (decision 017), GA's blind spots from the GA comparison. No customer's name or contact is in it:
 * the mail goes to an inbox, the links lead to the app where members see them.
 */
export async function weeklySummary(
  db: Sql,
  workspace: { id: string; slug: string; name: string; timezone: string },
  week: string,
): Promise<WeeklySummary> {
  const span: SummaryWeek = summaryWeek(week, workspace.timezone);
  const ws = workspace.id;
  const cur = { from: span.from, to: span.to, timezone: span.timezone };
  const prev = { ...span.previous, timezone: span.timezone };
  const app = `${appUrl()}/app/${workspace.slug}`;
  const lastDay = localDay(span.to.getTime() - 1, span.timezone);
  const days = { first: addDays(lastDay, -6), last: lastDay, previousFirst: addDays(lastDay, -13) };

  // Every statement at once, each on its own connection (report-sql.ts).
  const [
    signals,
    signalsBefore,
    reached,
    reachedBefore,
    payers,
    waiting,
    campaigns,
    topics,
    refunds,
    refundsBefore,
    oldest,
    ga,
    gaBefore,
  ] = await Promise.all([
    signalCounts(db, ws, cur),
    signalCounts(db, ws, prev),
    reachedTotals(db, ws, cur),
    reachedTotals(db, ws, prev),
    db.$queryRawUnsafe<{ now: number; before: number }[]>(
      `SELECT count(DISTINCT "profileId") FILTER (WHERE "occurredAt" >= $3)::int AS now,
           count(DISTINCT "profileId") FILTER (WHERE "occurredAt" < $3)::int AS before
         FROM "Event" WHERE "workspaceId" = $1::uuid AND type = 'payment_succeeded'
           AND "occurredAt" >= $2 AND "occurredAt" < $4`,
      ws,
      span.previous.from,
      span.from,
      span.to,
    ),
    db.$queryRawUnsafe<{ waiting: number; now: number; before: number }[]>(
      `SELECT count(*)::int AS waiting,
           count(*) FILTER (WHERE "waitingSince" >= $3 AND "waitingSince" < $4)::int AS now,
           count(*) FILTER (WHERE "waitingSince" >= $2 AND "waitingSince" < $3)::int AS before
         FROM "PersonThread" WHERE "workspaceId" = $1::uuid AND awaiting`,
      ws,
      span.previous.from,
      span.from,
      span.to,
    ),
    topCampaigns(db, ws, span),
    summaryTopics(db, ws, days),
    summaryRefunds(db, ws, cur, 1000),
    summaryRefunds(db, ws, prev, 1000),
    db.$queryRawUnsafe<{ profileId: string; channel: string | null; since: Date }[]>(
      `SELECT "profileId", "lastChannel" AS channel, "waitingSince" AS since FROM "PersonThread"
       WHERE "workspaceId" = $1::uuid AND awaiting ORDER BY "waitingSince", "profileId" LIMIT 3`,
      ws,
    ),
    gaComparison(db, workspace, cur),
    gaComparison(db, workspace, prev),
  ]);
  const isPayment = (r: { type: string }) => r.type === "payment_succeeded";
  const rungs = [0, 1, 2, 3, 4].map((r) => figure(reached[r] ?? 0, reachedBefore[r] ?? 0));
  const firstOf = (list: number[]) => list[0] ?? 0;
  const gaFigure = (id: QuestionId, figures: Record<string, unknown> | undefined) => {
    const v = figures?.[GA_FIGURE[id]];
    return typeof v === "number" ? v : null;
  };
  return {
    week: span.week,
    from: span.from.toISOString(),
    to: span.to.toISOString(),
    previous: { from: span.previous.from.toISOString(), to: span.previous.to.toISOString() },
    timezone: span.timezone,
    workspace: { id: workspace.id, slug: workspace.slug, name: workspace.name },
    links: {
      overview: app,
      people: `${app}/people`,
      customers: `${app}/people?rung=4`,
      conversations: `${app}/conversations?filter=unanswered`,
      campaigns: `${app}/campaigns`,
      topics: `${app}/reports/topics`,
      refunds: `${app}/reports/refunds`,
      ga: `${app}/reports/ga-comparison`,
    },
    newPeople: { total: figure(firstOf(reached), firstOf(reachedBefore)), byRung: rungs },
    customers: { new: rungs[4] as Figure, payers: figure(payers[0]?.now ?? 0, payers[0]?.before ?? 0) },
    deposits: {
      payments: figure(total(signals, isPayment), total(signalsBefore, isPayment)),
      amounts: moneyFigures(money(signals, isPayment), money(signalsBefore, isPayment)),
    },
    unanswered: {
      waiting: waiting[0]?.waiting ?? 0,
      leftThisWeek: figure(waiting[0]?.now ?? 0, waiting[0]?.before ?? 0),
      oldest: oldest.map((o) => ({
        channel: o.channel,
        since: o.since.toISOString(),
        url: `${app}/conversations/${o.profileId}`,
      })),
    },
    campaigns,
    topics: topics.map((t) => ({
      name: t.name,
      label: t.label,
      offered: t.offered,
      count: figure(t.count, t.previous),
    })),
    refunds: {
      count: figure(refunds.length, refundsBefore.length),
      amounts: moneyFigures(sumRefunds(refunds), sumRefunds(refundsBefore)),
      latest: refunds.slice(0, 3).map((r) => ({
        amount: r.amount,
        currency: r.currency,
        at: r.refundedAt.toISOString(),
        url: r.profileId ? `${app}/people/${r.profileId}` : null,
      })),
    },
    gaMissed: ga.questions
      .filter((q) => q.status !== "later")
      .map((q) => {
        const value = gaFigure(q.id, q.figures);
        const before = gaFigure(q.id, gaBefore.questions.find((b) => b.id === q.id)?.figures);
        return {
          id: q.id,
          question: q.question,
          ga: q.ga,
          answer: GA_ANSWER[q.id](q.figures),
          figure: value === null ? null : figure(value, before ?? 0),
          url: q.proof ? `${appUrl()}${q.proof.path}` : null,
        };
      }),
  };
}

/**
 * The campaigns that brought the most new people this week (people first seen in the span, by their first
 * touch as the campaigns table names it), with how many of them pay, against the same campaign last week.
 */
async function topCampaigns(db: Sql, ws: string, span: SummaryWeek, limit = 5) {
  const rows = await db.$queryRawUnsafe<
    { source: string; medium: string; campaign: string; now: number; before: number; customers: number }[]
  >(
    `SELECT c.source, c.medium, c.campaign,
       count(*) FILTER (WHERE p."firstSeenAt" >= $3)::int AS now,
       count(*) FILTER (WHERE p."firstSeenAt" < $3)::int AS before,
       count(*) FILTER (WHERE p."firstSeenAt" >= $3 AND p.rung >= 4)::int AS customers
     FROM "Profile" p CROSS JOIN LATERAL (${touchChannelSql(`p."firstTouch"`)}) AS c
     WHERE p."workspaceId" = $1::uuid AND p."mergedIntoId" IS NULL AND p."firstSeenAt" >= $2 AND p."firstSeenAt" < $4
     GROUP BY 1, 2, 3
     HAVING count(*) FILTER (WHERE p."firstSeenAt" >= $3) > 0
     ORDER BY now DESC, customers DESC, 1, 2, 3
     LIMIT ${Math.trunc(limit)}`,
    ws,
    span.previous.from,
    span.from,
    span.to,
  );
  return rows.map((r) => ({
    source: r.source,
    medium: r.medium,
    campaign: r.campaign,
    people: figure(r.now, r.before),
    customers: r.customers,
  }));
}
