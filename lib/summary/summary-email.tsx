import {
  Body,
  Column,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Row,
  Section,
  Text,
} from "@react-email/components";
import { render } from "@react-email/render";
import { formatMoney } from "../timeline/words.ts";
import type { Figure, WeeklySummary } from "./weekly-summary.ts";

export interface SummaryMailLinks {
  /** The one-click unsubscribe page of this recipient (also in List-Unsubscribe). */
  unsubscribe: string;
  /** The switch in the app. */
  settings: string;
}

/** What reaching each rung means (a person who reaches a rung reaches those below it at the same time). */
const RUNGS = [
  "Rung 0 · new visitors",
  "Rung 1 · came back",
  "Rung 2 · gave an email",
  "Rung 3 · gave a phone",
  "Rung 4 · became customers",
];
const CHANNEL: Record<string, string> = {
  whatsapp: "WhatsApp",
  sms: "SMS",
  telegram: "Telegram",
  voice: "Call",
  email: "Email",
  webchat: "Web chat",
};

const n = (v: number) => v.toLocaleString("en-US");
const plural = (v: number, one: string, many = `${one}s`) => `${n(v)} ${v === 1 ? one : many}`;
const money = (minor: number, currency: string) => formatMoney(minor, currency) ?? `${n(minor / 100)} ${currency}`;

/** "+3 vs last week", "−2 vs last week", "same as last week". */
export function changeText(f: Figure, fmt: (v: number) => string = n): string {
  if (f.change === 0) return "same as last week";
  return `${f.change > 0 ? "+" : "−"}${fmt(Math.abs(f.change))} vs last week`;
}

const waitedFor = (since: string, at: string) => {
  const hours = Math.max(0, Math.round((Date.parse(at) - Date.parse(since)) / 3600_000));
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
};

/** The week as the owner reads it: "Nov 27 – Dec 4". */
export function weekLabel(s: WeeklySummary) {
  const f = new Intl.DateTimeFormat("en-US", { timeZone: s.timezone, month: "short", day: "numeric" });
  return `${f.format(new Date(s.from))} – ${f.format(new Date(s.to))}`;
}

const c = {
  body: {
    backgroundColor: "#f1f5f9",
    margin: 0,
    padding: "16px 0",
    fontFamily: "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    color: "#0f172a",
  },
  box: {
    backgroundColor: "#ffffff",
    maxWidth: "600px",
    width: "100%",
    margin: "0 auto",
    borderRadius: "12px",
    border: "1px solid #e2e8f0",
    padding: "8px 20px 20px",
  },
  h1: { fontSize: "22px", lineHeight: "28px", margin: "16px 0 4px" },
  h2: { fontSize: "16px", lineHeight: "22px", margin: "22px 0 8px" },
  muted: { color: "#64748b", fontSize: "14px", lineHeight: "20px", margin: "0" },
  big: { fontSize: "24px", lineHeight: "30px", fontWeight: 700, margin: "0" },
  label: { fontSize: "13px", lineHeight: "18px", color: "#475569", margin: "2px 0 0" },
  up: { fontSize: "13px", lineHeight: "18px", color: "#15803d", margin: "2px 0 0" },
  down: { fontSize: "13px", lineHeight: "18px", color: "#b91c1c", margin: "2px 0 0" },
  flat: { fontSize: "13px", lineHeight: "18px", color: "#64748b", margin: "2px 0 0" },
  row: { fontSize: "15px", lineHeight: "22px", margin: "0 0 6px" },
  link: { color: "#1f57c9", textDecoration: "underline" },
  tile: { backgroundColor: "#f8fafc", borderRadius: "10px", padding: "10px 12px", verticalAlign: "top" as const },
  hr: { borderColor: "#e2e8f0", margin: "20px 0 12px" },
  foot: { color: "#64748b", fontSize: "12px", lineHeight: "18px", margin: "0 0 6px" },
};

/** Up is good for most figures; for refunds and waiting conversations it is not. */
const tone = (f: Figure, upIsGood = true) => (f.change === 0 ? c.flat : f.change > 0 === upIsGood ? c.up : c.down);

function Tile({
  value,
  label,
  f,
  upIsGood = true,
  href,
  fmt = n,
}: {
  value: string;
  label: string;
  f: Figure;
  upIsGood?: boolean;
  href: string;
  fmt?: (v: number) => string;
}) {
  return (
    <Column style={c.tile}>
      <Link href={href} style={{ color: "#0f172a", textDecoration: "none" }}>
        <Text style={c.big}>{value}</Text>
        <Text style={c.label}>{label}</Text>
        <Text style={tone(f, upIsGood)}>{changeText(f, fmt)}</Text>
      </Link>
    </Column>
  );
}

const Gap = () => <Column style={{ width: "8px" }} />;

export function WeeklySummaryEmail({ s, links }: { s: WeeklySummary; links: SummaryMailLinks }) {
  const deposit = s.deposits.amounts[0];
  const refunded = s.refunds.amounts[0];
  return (
    <Html lang="en">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{previewLine(s)}</Preview>
      <Body style={c.body}>
        <Container style={c.box}>
          <Text style={{ ...c.muted, marginTop: "12px", color: "#1f57c9", fontWeight: 600 }}>
            OneThread · {s.workspace.name}
          </Text>
          <Heading as="h1" style={c.h1}>
            Your week: {weekLabel(s)}
          </Heading>
          <Text style={c.muted}>
            Every signal from Friday 5 pm to Friday 5 pm ({s.timezone}), against the week before.
          </Text>

          <Section style={{ marginTop: "16px" }}>
            <Row>
              <Tile value={n(s.newPeople.total.value)} label="new people" f={s.newPeople.total} href={s.links.people} />
              <Gap />
              <Tile
                value={n(s.customers.new.value)}
                label="new customers"
                f={s.customers.new}
                href={s.links.customers}
              />
            </Row>
            <Row style={{ marginTop: "8px" }}>
              <Tile
                value={deposit ? money(deposit.value, deposit.currency) : money(0, "usd")}
                label={`deposits · ${plural(s.deposits.payments.value, "payment")}`}
                f={deposit ?? s.deposits.payments}
                fmt={deposit ? (v) => money(v, deposit.currency) : n}
                href={s.links.customers}
              />
              <Gap />
              <Tile
                value={n(s.unanswered.waiting)}
                label="waiting for an answer"
                f={s.unanswered.leftThisWeek}
                upIsGood={false}
                href={s.links.conversations}
              />
            </Row>
          </Section>

          <Heading as="h2" style={c.h2}>
            New people by rung
          </Heading>
          {s.newPeople.byRung.map((f, rung) => (
            <Text key={RUNGS[rung]} style={c.row}>
              <Link href={`${s.links.people}?rung=${rung}`} style={c.link}>
                {RUNGS[rung]}
              </Link>
              : <b>{n(f.value)}</b> <span style={tone(f)}>({changeText(f)})</span>
            </Text>
          ))}

          <Heading as="h2" style={c.h2}>
            Customers and deposits
          </Heading>
          <Text style={c.row}>
            <b>{n(s.customers.payers.value)}</b> paid ({changeText(s.customers.payers)}),{" "}
            {plural(s.deposits.payments.value, "payment")} ({changeText(s.deposits.payments)}).
          </Text>
          {s.deposits.amounts.map((m) => (
            <Text key={m.currency} style={c.row}>
              Deposits: <b>{money(m.value, m.currency)}</b>{" "}
              <span style={tone(m)}>({changeText(m, (v) => money(v, m.currency))})</span>
            </Text>
          ))}

          <Heading as="h2" style={c.h2}>
            Left unanswered
          </Heading>
          <Text style={c.row}>
            <b>{plural(s.unanswered.waiting, "conversation")}</b> {s.unanswered.waiting === 1 ? "waits" : "wait"} for a
            reply; {n(s.unanswered.leftThisWeek.value)} of them since this week{" "}
            <span style={tone(s.unanswered.leftThisWeek, false)}>({changeText(s.unanswered.leftThisWeek)})</span>.
          </Text>
          {s.unanswered.oldest.map((o) => (
            <Text key={o.url} style={c.row}>
              <Link href={o.url} style={c.link}>
                {CHANNEL[o.channel ?? ""] ?? "Conversation"} waiting {waitedFor(o.since, s.to)}
              </Link>
            </Text>
          ))}
          <Text style={c.row}>
            <Link href={s.links.conversations} style={c.link}>
              Answer them →
            </Link>
          </Text>

          <Heading as="h2" style={c.h2}>
            Top campaigns
          </Heading>
          {s.campaigns.length ? (
            s.campaigns.map((k) => (
              <Text key={`${k.source}/${k.medium}/${k.campaign}`} style={c.row}>
                {campaignName(k)}: <b>{n(k.people.value)}</b> new people, {n(k.customers)} paying{" "}
                <span style={tone(k.people)}>({changeText(k.people)})</span>
              </Text>
            ))
          ) : (
            <Text style={c.row}>No new people this week.</Text>
          )}
          <Text style={c.row}>
            <Link href={s.links.campaigns} style={c.link}>
              All campaigns →
            </Link>
          </Text>

          <Heading as="h2" style={c.h2}>
            Top questions
          </Heading>
          {s.topics.length ? (
            s.topics.map((t) => (
              <Text key={t.name} style={c.row}>
                {t.label}
                {t.offered ? "" : " (not offered yet)"}: <b>{n(t.count.value)}</b>{" "}
                <span style={tone(t.count)}>({changeText(t.count)})</span>
              </Text>
            ))
          ) : (
            <Text style={c.row}>No topics counted this week.</Text>
          )}
          <Text style={c.row}>
            <Link href={s.links.topics} style={c.link}>
              What customers ask about →
            </Link>
          </Text>

          <Heading as="h2" style={c.h2}>
            Refunds
          </Heading>
          <Text style={c.row}>
            <b>{plural(s.refunds.count.value, "refund")}</b>
            {refunded ? `, ${money(refunded.value, refunded.currency)}` : ""}{" "}
            <span style={tone(s.refunds.count, false)}>({changeText(s.refunds.count)})</span>.
          </Text>
          {s.refunds.latest.map((r) =>
            r.url ? (
              <Text key={`${r.at}${r.url}`} style={c.row}>
                <Link href={r.url} style={c.link}>
                  {money(r.amount, r.currency)} refunded: the thread around it
                </Link>
              </Text>
            ) : null,
          )}
          <Text style={c.row}>
            <Link href={s.links.refunds} style={c.link}>
              Refunds and what customers said →
            </Link>
          </Text>

          <Heading as="h2" style={c.h2}>
            What Google Analytics would have missed
          </Heading>
          {s.gaMissed.map((q) => (
            <Section key={q.id} style={{ margin: "0 0 10px" }}>
              <Text style={{ ...c.row, margin: "0", fontWeight: 600 }}>{q.question}</Text>
              <Text style={{ ...c.label, margin: "0" }}>GA: {q.ga}</Text>
              <Text style={{ ...c.row, margin: "2px 0 0" }}>
                {q.url ? (
                  <Link href={q.url} style={c.link}>
                    {q.answer}
                  </Link>
                ) : (
                  q.answer
                )}{" "}
                {q.figure ? <span style={tone(q.figure)}>({changeText(q.figure)})</span> : null}
              </Text>
            </Section>
          ))}

          <Hr style={c.hr} />
          <Text style={c.foot}>
            <Link href={s.links.overview} style={c.link}>
              Open {s.workspace.name} in OneThread
            </Link>
          </Text>
          <Text style={c.foot}>
            You get this every Friday at 5 pm as a member of {s.workspace.name}.{" "}
            <Link href={links.unsubscribe} style={c.link}>
              Unsubscribe
            </Link>{" "}
            or{" "}
            <Link href={links.settings} style={c.link}>
              change it in the app
            </Link>
            .
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

const campaignName = (k: { source: string; medium: string; campaign: string }) =>
  [k.campaign, [k.source, k.medium].filter(Boolean).join(" / ")].filter(Boolean).join(" · ");

/** The inbox's preview line and the subject's figures. */
export function previewLine(s: WeeklySummary) {
  const deposit = s.deposits.amounts[0];
  return `${n(s.newPeople.total.value)} new people, ${n(s.customers.new.value)} new customers, ${
    deposit ? money(deposit.value, deposit.currency) : money(0, "usd")
  } in deposits, ${n(s.unanswered.waiting)} waiting for an answer`;
}

export const summarySubject = (s: WeeklySummary) => `${s.workspace.name}: your week, ${weekLabel(s)}`;

/** The plain-text part: the same content, one figure a line, links in full. */
export function summaryText(s: WeeklySummary, links: SummaryMailLinks): string {
  const out: string[] = [];
  const line = (t = "") => out.push(t);
  line(`${s.workspace.name}: your week, ${weekLabel(s)}`);
  line(`Friday 5 pm to Friday 5 pm (${s.timezone}), against the week before.`);
  line();
  line(`NEW PEOPLE: ${n(s.newPeople.total.value)} (${changeText(s.newPeople.total)})`);
  s.newPeople.byRung.forEach((f, rung) => {
    line(`  ${RUNGS[rung]}: ${n(f.value)} (${changeText(f)})`);
  });
  line(`  ${s.links.people}`);
  line();
  line(`CUSTOMERS AND DEPOSITS`);
  line(`  New customers: ${n(s.customers.new.value)} (${changeText(s.customers.new)})`);
  line(`  Paid: ${n(s.customers.payers.value)} (${changeText(s.customers.payers)})`);
  line(`  Payments: ${n(s.deposits.payments.value)} (${changeText(s.deposits.payments)})`);
  for (const m of s.deposits.amounts)
    line(`  Deposits: ${money(m.value, m.currency)} (${changeText(m, (v) => money(v, m.currency))})`);
  line(`  ${s.links.customers}`);
  line();
  line(`LEFT UNANSWERED: ${n(s.unanswered.waiting)} waiting for a reply`);
  line(`  Since this week: ${n(s.unanswered.leftThisWeek.value)} (${changeText(s.unanswered.leftThisWeek)})`);
  for (const o of s.unanswered.oldest)
    line(`  ${CHANNEL[o.channel ?? ""] ?? "Conversation"} waiting ${waitedFor(o.since, s.to)}: ${o.url}`);
  line(`  ${s.links.conversations}`);
  line();
  line(`TOP CAMPAIGNS`);
  if (!s.campaigns.length) line("  No new people this week.");
  for (const k of s.campaigns)
    line(`  ${campaignName(k)}: ${n(k.people.value)} new people, ${n(k.customers)} paying (${changeText(k.people)})`);
  line(`  ${s.links.campaigns}`);
  line();
  line(`TOP QUESTIONS`);
  if (!s.topics.length) line("  No topics counted this week.");
  for (const t of s.topics)
    line(`  ${t.label}${t.offered ? "" : " (not offered yet)"}: ${n(t.count.value)} (${changeText(t.count)})`);
  line(`  ${s.links.topics}`);
  line();
  line(`REFUNDS: ${n(s.refunds.count.value)} (${changeText(s.refunds.count)})`);
  for (const m of s.refunds.amounts)
    line(`  ${money(m.value, m.currency)} (${changeText(m, (v) => money(v, m.currency))})`);
  line(`  ${s.links.refunds}`);
  line();
  line(`WHAT GOOGLE ANALYTICS WOULD HAVE MISSED`);
  for (const q of s.gaMissed) {
    line(`  ${q.question} (GA: ${q.ga})`);
    line(`  ${q.answer}${q.figure ? ` (${changeText(q.figure)})` : ""}`);
    if (q.url) line(`  ${q.url}`);
  }
  line();
  line(`Open ${s.workspace.name}: ${s.links.overview}`);
  line(`Unsubscribe: ${links.unsubscribe}`);
  line(`Change it in the app: ${links.settings}`);
  return `${out.join("\n")}\n`;
}

/** The mail's HTML (react-email) and its plain-text part. */
export async function renderSummaryEmail(s: WeeklySummary, links: SummaryMailLinks) {
  const html = await render(<WeeklySummaryEmail s={s} links={links} />);
  return { subject: summarySubject(s), html, text: summaryText(s, links) };
}
