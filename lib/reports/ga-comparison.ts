import type { Sql } from "../db/raw-sql.ts";
import { formatMoney } from "../timeline/summarize-event.ts";
import { personLabels } from "./person-labels.ts";
import { reachedTotals } from "./reached-by-day.ts";
import type { ReportRange } from "./report-range.ts";
import { money, type SignalCount, signalCounts, total } from "./signal-counts.ts";
import { lastSignalPhrase, stalledAt } from "./stalled-people.ts";
import { topTopics } from "./topics.ts";
import { localDay } from "./zone.ts";

export type QuestionId = "identity" | "whatsapp" | "paid" | "ads" | "drop_off" | "cancelled" | "journey" | "demand";

export interface GaQuestion {
  id: QuestionId;
  question: string;
  /** What Google Analytics answers (the product page's middle column). */
  ga: string;
  /** This workspace's answer, in words, with its figures. */
  answer: string;
  figures: Record<string, number | string | null>;
  /** Where the answer can be checked: a page of the owner app. */
  proof: { label: string; path: string } | null;
  /** `live`: answered from today's data; `partial`: part of the answer comes later; `later`: not built yet. */
  status: "live" | "partial" | "later";
}

export interface GaComparison {
  from: string;
  to: string;
  timezone: string;
  questions: GaQuestion[];
}

const n = (v: number) => v.toLocaleString("en-US");
const plural = (v: number, one: string, many = `${one}s`) => `${n(v)} ${v === 1 ? one : many}`;
const amounts = (m: { currency: string; amount: number }[]) =>
  m.length ? m.map((x) => formatMoney(x.amount, x.currency) ?? "").join(" and ") : formatMoney(0, "usd");

const CHANNEL = { whatsapp: "WhatsApp", sms: "SMS", telegram: "Telegram", webchat: "web chat" } as const;

/**
 * The product page's eight questions Google Analytics cannot answer, each answered from this workspace's own
 * data in the range, with a link to where it can be seen (API.md `GET /api/v1/reports/ga-comparison`).
 */
export async function gaComparison(
  db: Sql,
  workspace: { id: string; slug: string },
  range: ReportRange,
): Promise<GaComparison> {
  const ws = workspace.id;
  const app = `/app/${workspace.slug}`;
  // Everything in parallel, each statement on its own connection (report-sql.ts).
  const [
    signals,
    reached,
    identified,
    onPhone,
    example,
    payers,
    unanswered,
    latest,
    stalled2,
    stalled3,
    customer,
    asked,
  ] = await Promise.all([
    signalCounts(db, ws, range),
    reachedTotals(db, ws, range),
    // The people identified in the range (rung 2), how many went on to give a phone, and their devices: one
    // index-only scan of (reached2, reached3, devices).
    db.$queryRawUnsafe<{ people: number; climbed: number; devices: number }[]>(
      `SELECT count(*)::int AS people, count(*) FILTER (WHERE reached3 < $3)::int AS climbed,
           coalesce(sum(devices), 0)::int AS devices
         FROM "PersonRollup" WHERE "workspaceId" = $1::uuid AND reached2 >= $2 AND reached2 < $3`,
      ws,
      range.from,
      range.to,
    ),
    db.$queryRawUnsafe<{ people: number; climbed: number }[]>(
      `SELECT count(*)::int AS people, count(*) FILTER (WHERE reached4 < $3)::int AS climbed
         FROM "PersonRollup" WHERE "workspaceId" = $1::uuid AND reached3 >= $2 AND reached3 < $3`,
      ws,
      range.from,
      range.to,
    ),
    // The proof of stitching: of the latest 500 people identified, the one whose record joins the most devices.
    db.$queryRawUnsafe<{ profileId: string }[]>(
      `SELECT "profileId" FROM (
           SELECT "profileId", devices, reached2 FROM "PersonRollup"
           WHERE "workspaceId" = $1::uuid AND reached2 >= $2 AND reached2 < $3 ORDER BY reached2 DESC LIMIT 500
         ) AS latest ORDER BY devices DESC, reached2 DESC LIMIT 1`,
      ws,
      range.from,
      range.to,
    ),
    db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(DISTINCT "profileId")::int AS n FROM "Event"
       WHERE "workspaceId" = $1::uuid AND type = 'payment_succeeded' AND "occurredAt" >= $2 AND "occurredAt" < $3`,
      ws,
      range.from,
      range.to,
    ),
    db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "PersonThread" WHERE "workspaceId" = $1::uuid AND awaiting`,
      ws,
    ),
    // The latest payment, refund and cancellation in the range, each one probe of Event_money_idx (a literal
    // type: a parameter would not prove the partial index's predicate).
    db.$queryRawUnsafe<{ type: string; profileId: string | null }[]>(
      ["payment_succeeded", "payment_refunded", "booking_cancelled"]
        .map(
          (type) => `(SELECT type, "profileId" FROM "Event" WHERE "workspaceId" = $1::uuid AND type = '${type}'
             AND "occurredAt" >= $2 AND "occurredAt" < $3 AND "profileId" IS NOT NULL ORDER BY "occurredAt" DESC LIMIT 1)`,
        )
        .join(" UNION ALL "),
      ws,
      range.from,
      range.to,
    ),
    stalledAt(db, ws, range, 2),
    stalledAt(db, ws, range, 3),
    journeyExample(db, ws, range),
    // The topic counters over the range's local days (decision 019), against as many days before.
    topTopics(
      db,
      ws,
      {
        from: localDay(range.from, range.timezone),
        to: localDay(range.to.getTime() - 1, range.timezone),
      },
      { weeks: 2 },
    ),
  ]);
  const steps: Record<number, { people: number; climbed: number }> = {
    2: identified[0] ?? { people: 0, climbed: 0 },
    3: onPhone[0] ?? { people: 0, climbed: 0 },
  };
  const stepOf = (r: number) => steps[r] ?? { people: 0, climbed: 0 };
  const stalledCount = (r: number) => stepOf(r).people - stepOf(r).climbed;
  // Where people who left a contact stopped: the identified rung (email or phone) with more people stalled.
  const stallRung = stalledCount(3) > stalledCount(2) ? 3 : 2;
  const stalled = { ...(stallRung === 2 ? stalled2 : stalled3), count: stalledCount(stallRung) };
  const latestOf = (type: string) => latest.find((l) => l.type === type)?.profileId ?? null;
  const people = await personLabels(
    db,
    ws,
    [
      example[0]?.profileId,
      latestOf("payment_succeeded"),
      latestOf("payment_refunded"),
      latestOf("booking_cancelled"),
      stalled.example,
      customer?.id,
    ].filter((id): id is string => !!id),
  );
  const nameOf = (id: string | null | undefined) => (id ? (people.get(id)?.name ?? null) : null);
  const person = (id: string | null | undefined, label: (name: string) => string) =>
    id && nameOf(id) ? { label: label(nameOf(id) as string), path: `${app}/people/${id}` } : null;

  const count = (keep: (r: SignalCount) => boolean) => total(signals, keep);
  const of = (type: string, source?: string) => (r: SignalCount) => r.type === type && (!source || r.source === source);

  // 1. identity
  const st = { people: 0, devices: 0, ...identified[0], example: example[0]?.profileId ?? null };
  const identity: GaQuestion = {
    id: "identity",
    question: "Who is this person across visits?",
    ga: "Anonymous session",
    answer: !st.people
      ? "Nobody left an email or a phone number in this range yet; their visits will join them when they do."
      : st.devices
        ? `${plural(st.people, "person", "people")} stitched from ${plural(st.devices, "device")}: their visits before they gave a name are on their record.`
        : `${plural(st.people, "person", "people")} identified; none of them had browsed the site with a tracked device.`,
    figures: { people: st.people, devices: st.devices },
    proof: person(st.example, (name) => `${name}: every device on one timeline`) ?? {
      label: "The ladder",
      path: `${app}/ladder`,
    },
    status: "live",
  };

  // 2. WhatsApp (and the other messaging channels)
  const messages = (channel: string, type?: string) =>
    count(
      (r) =>
        r.source === "channel" && r.channel === channel && (type ? r.type === type : r.type.startsWith("message_")),
    );
  const wa = messages("whatsapp");
  const waIn = messages("whatsapp", "message_in");
  const others = (Object.keys(CHANNEL) as (keyof typeof CHANNEL)[])
    .filter((c) => c !== "whatsapp")
    .map((c) => ({ c, v: messages(c) }))
    .filter((x) => x.v > 0);
  const whatsapp: GaQuestion = {
    id: "whatsapp",
    question: "What did they say in WhatsApp?",
    ga: "Not tracked",
    answer: `${plural(wa, "WhatsApp message")} (${n(waIn)} from customers)${others.map((o) => `, ${plural(o.v, `${CHANNEL[o.c]} message`)}`).join("")}, each in full with its time; ${plural(unanswered[0]?.n ?? 0, "thread")} waiting for an answer.`,
    figures: {
      whatsappMessages: wa,
      whatsappFromCustomers: waIn,
      smsMessages: messages("sms"),
      unansweredThreads: unanswered[0]?.n ?? 0,
    },
    proof: { label: "Conversations", path: `${app}/conversations` },
    status: "live",
  };

  // 3. paid
  const deposits = money(signals, of("payment_succeeded"));
  const paidCount = payers[0]?.n ?? 0;
  const paid: GaQuestion = {
    id: "paid",
    question: "Did they pay?",
    ga: "Goal completion if you set it up",
    answer: `${n(paidCount)} paid, ${amounts(deposits)} in deposits (${plural(count(of("payment_succeeded")), "payment")}, each from its Stripe webhook, on the customer's record).`,
    figures: {
      payers: paidCount,
      payments: count(of("payment_succeeded")),
      deposits: deposits[0]?.amount ?? 0,
      currency: deposits[0]?.currency ?? null,
    },
    proof: person(latestOf("payment_succeeded"), (name) => `${name}'s payment on their timeline`) ?? {
      label: "Customers",
      path: `${app}/people?rung=4`,
    },
    status: "live",
  };

  // 4. ads
  const adClicks = count(of("ad_click", "ads"));
  const sent = count(of("conversion_sent", "ads"));
  const qualified = count((r) => r.source === "agent" && r.detail === "qualified_lead");
  const customers = reached[4] ?? 0;
  const ads: GaQuestion = {
    id: "ads",
    question: "Did the ad work?",
    ga: "UTM session, maybe attributed",
    answer: `${plural(adClicks, "ad click")}, ${plural(qualified, "lead")} qualified by the agents, ${plural(customers, "new customer")}; ${plural(sent, "conversion")} sent back to the ad networks.`,
    figures: { adClicks, qualifiedLeads: qualified, newCustomers: customers, conversionsSent: sent },
    proof: { label: "Campaigns: people and customers per campaign", path: `${app}/campaigns` },
    status: "live",
  };

  // 5. drop-off
  const rungName = stallRung === 2 ? "rung 2 (email)" : "rung 3 (phone)";
  const phrase = stalled.top ? lastSignalPhrase(stalled.top) : null;
  const dropOff: GaQuestion = {
    id: "drop_off",
    question: "Why did this customer not convert?",
    ga: "You guess from the funnel chart",
    answer: stalled.count
      ? `${n(stalled.count)} stopped at ${rungName}${phrase ? ` — most after ${phrase}` : ""}.`
      : "Nobody who left an email or phone stopped climbing in this range.",
    figures: {
      stalled: stalled.count,
      rung: stallRung,
      afterTopSignal: stalled.top?.n ?? 0,
      sampled: stalled.sampled,
    },
    proof: person(stalled.example, (name) => `Replay ${name}'s journey to where it stopped`) ?? {
      label: "The ladder",
      path: `${app}/ladder`,
    },
    status: "live",
  };

  // 6. cancelled
  const refunds = money(signals, of("payment_refunded"));
  const refundCount = count(of("payment_refunded"));
  const cancellations = count(of("booking_cancelled"));
  const cancelledId = latestOf("payment_refunded") ?? latestOf("booking_cancelled");
  const cancelled: GaQuestion = {
    id: "cancelled",
    question: "What did the customer say when they cancelled?",
    ga: "Not tracked",
    answer:
      refundCount || cancellations
        ? `${plural(refundCount, "refund")} (${amounts(refunds)}) and ${plural(cancellations, "cancelled booking")}, each with the whole thread around it, the customer's sentiment and the sentence that says most.`
        : "No refunds or cancelled bookings in this range; when one comes, the whole thread around it is kept with it, scored for sentiment.",
    figures: { refunds: refundCount, refunded: refunds[0]?.amount ?? 0, cancellations },
    proof: person(cancelledId, (name) => `${name}'s thread around the refund`) ?? {
      label: "Refunds and cancellations",
      path: `${app}/reports/refunds`,
    },
    status: "live",
  };

  // 7. journey
  const signalsTotal = total(signals);
  const journey: GaQuestion = {
    id: "journey",
    question: "Can I see one customer's complete journey?",
    ga: "Cohort analysis if you build it",
    answer: customer
      ? `One click: ${nameOf(customer.id) ?? "a customer"}'s ${plural(customer.signals, "signal")} from ${plural(customer.sources, "source")} on one timeline (${plural(signalsTotal, "signal")} in this range, each on its person's).`
      : `${plural(signalsTotal, "signal")} in this range, each on its person's timeline.`,
    figures: { signals: signalsTotal, personSignals: customer?.signals ?? 0, personSources: customer?.sources ?? 0 },
    proof: person(customer?.id, (name) => `${name}'s journey`),
    status: "live",
  };

  // 8. demand: the topic counters (decision 019)
  const inbound = count((r) => r.type === "message_in" || r.type === "email_replied");
  const askedFor = asked.filter((t) => t.count > 0);
  const unsold = askedFor.filter((t) => !t.offered || t.kind === "discovered");
  const top = askedFor
    .slice(0, 3)
    .map((t) => `${t.label} (${t.count})`)
    .join(", ");
  const demand: GaQuestion = {
    id: "demand",
    question: "Are people asking for things we do not sell yet?",
    ga: "Not tracked",
    answer: askedFor.length
      ? `${plural(askedFor.length, "topic")} asked about, most ${top}; ${unsold.length ? `${n(unsold.length)} of them not on your list${unsold[0] ? `, such as ${unsold[0].label}` : ""}` : "all of them things you offer"}.`
      : `No topics counted in this range yet; ${plural(inbound, "message")} from customers ${inbound === 1 ? "is" : "are"} counted by topic as ${inbound === 1 ? "it arrives" : "they arrive"}.`,
    figures: { customerMessages: inbound, topics: askedFor.length, notOffered: unsold.length },
    proof: { label: "Topic counters", path: `${app}/reports/topics` },
    status: "live",
  };

  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    timezone: range.timezone,
    questions: [identity, whatsapp, paid, ads, dropOff, cancelled, journey, demand],
  };
}

/** The customer whose journey the answer shows: the newest in the range, else the newest person identified. */
async function journeyExample(db: Sql, ws: string, range: ReportRange) {
  const [row] = await db.$queryRawUnsafe<{ id: string; signals: number; sources: number }[]>(
    `SELECT p.id, c.signals, c.sources FROM (
       (SELECT "profileId" AS id, 1 AS k FROM "PersonRollup" WHERE "workspaceId" = $1::uuid AND reached4 >= $2 AND reached4 < $3
        ORDER BY reached4 DESC LIMIT 1)
       UNION ALL
       (SELECT "profileId", 2 FROM "PersonRollup" WHERE "workspaceId" = $1::uuid AND reached2 >= $2 AND reached2 < $3
        ORDER BY reached2 DESC LIMIT 1)
       ORDER BY k LIMIT 1
     ) AS p
     CROSS JOIN LATERAL (
       SELECT count(*)::int AS signals, count(DISTINCT source)::int AS sources FROM "Event"
       WHERE "workspaceId" = $1::uuid AND "profileId" = p.id
     ) AS c`,
    ws,
    range.from,
    range.to,
  );
  return row ?? null;
}
