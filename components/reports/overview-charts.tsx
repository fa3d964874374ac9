"use client";

import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { RUNG_LABELS, SOURCE_LABELS } from "@/components/people/format.ts";
import type { OverviewDay } from "@/lib/reports/overview-report.ts";
import { formatMoney } from "@/lib/timeline/summarize-event.ts";
import { dayLabel, num, RUNG_COLORS, SOURCE_COLORS } from "./format.ts";

const SOURCES = Object.keys(SOURCE_COLORS);
const HEIGHT = 240;
const axis = { fontSize: 12, fill: "#64748b" };
const tooltipStyle = { fontSize: 12, borderRadius: 8, borderColor: "#e2e8f0" };

/** Each chart is a figure with a caption, so a screen reader hears what it shows and its totals. */
function Figure({ title, summary, children }: { title: string; summary: string; children: React.ReactNode }) {
  return (
    <figure className="rounded-xl border border-slate-200 bg-white px-4 py-4 shadow-xs sm:px-5">
      <figcaption className="mb-3">
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <p className="text-sm text-slate-500">{summary}</p>
      </figcaption>
      <div role="img" aria-label={`${title}: ${summary}`} className="min-w-0">
        {children}
      </div>
    </figure>
  );
}

export function SignalsChart({ days, total }: { days: OverviewDay[]; total: number }) {
  const data = days.map((d) => ({ day: dayLabel(d.day), ...d.signals }));
  const present = SOURCES.filter((s) => days.some((d) => (d.signals[s] ?? 0) > 0));
  return (
    <Figure title="Signals per day, by source" summary={`${num(total)} signals in this range`}>
      <BarChart responsive style={{ width: "100%", height: HEIGHT }} data={data} margin={{ left: -16, right: 4 }}>
        <CartesianGrid vertical={false} stroke="#f1f5f9" />
        <XAxis dataKey="day" tick={axis} tickLine={false} axisLine={false} minTickGap={16} />
        <YAxis tick={axis} tickLine={false} axisLine={false} allowDecimals={false} width={48} />
        <Tooltip contentStyle={tooltipStyle} cursor={{ fill: "#f8fafc" }} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="circle" iconSize={8} />
        {present.map((s) => (
          <Bar
            key={s}
            dataKey={s}
            name={SOURCE_LABELS[s] ?? s}
            stackId="signals"
            fill={SOURCE_COLORS[s]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </Figure>
  );
}

export function RungsChart({ days, totals }: { days: OverviewDay[]; totals: number[] }) {
  const data = days.map((d) => ({
    day: dayLabel(d.day),
    ...Object.fromEntries(d.reached.map((n, r) => [`r${r}`, n])),
  }));
  return (
    <Figure
      title="New people by rung"
      summary={`Reached in this range: ${totals.map((n, r) => `${num(n)} ${RUNG_LABELS[r]?.toLowerCase()}`).join(", ")}`}
    >
      <LineChart responsive style={{ width: "100%", height: HEIGHT }} data={data} margin={{ left: -16, right: 8 }}>
        <CartesianGrid vertical={false} stroke="#f1f5f9" />
        <XAxis dataKey="day" tick={axis} tickLine={false} axisLine={false} minTickGap={16} />
        <YAxis tick={axis} tickLine={false} axisLine={false} allowDecimals={false} width={48} />
        <Tooltip contentStyle={tooltipStyle} />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="circle" iconSize={8} />
        {RUNG_LABELS.map((label, r) => (
          <Line
            key={label}
            dataKey={`r${r}`}
            name={`${r} · ${label}`}
            stroke={RUNG_COLORS[r]}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </Figure>
  );
}

export function DepositsChart({
  days,
  currency,
  summary,
}: {
  days: OverviewDay[];
  currency: string | null;
  summary: string;
}) {
  const data = days.map((d) => ({ day: dayLabel(d.day), deposits: d.deposits / 100, customers: d.reached[4] ?? 0 }));
  const money = (v: number) => formatMoney(Math.round(v * 100), currency ?? "usd") ?? String(v);
  return (
    <Figure title="Customers and deposits" summary={summary}>
      <ComposedChart responsive style={{ width: "100%", height: HEIGHT }} data={data} margin={{ left: -16, right: 0 }}>
        <CartesianGrid vertical={false} stroke="#f1f5f9" />
        <XAxis dataKey="day" tick={axis} tickLine={false} axisLine={false} minTickGap={16} />
        <YAxis yAxisId="people" tick={axis} tickLine={false} axisLine={false} allowDecimals={false} width={48} />
        <YAxis
          yAxisId="money"
          orientation="right"
          tick={axis}
          tickLine={false}
          axisLine={false}
          width={56}
          tickFormatter={(v: number) => money(v).replace(/\.00$/, "")}
        />
        <Tooltip
          contentStyle={tooltipStyle}
          formatter={(value, name) => (name === "Deposits" ? money(Number(value)) : value)}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} iconType="circle" iconSize={8} />
        <Bar yAxisId="money" dataKey="deposits" name="Deposits" fill="#6ee7b7" isAnimationActive={false} />
        <Line
          yAxisId="people"
          dataKey="customers"
          name="New customers"
          stroke="#059669"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </Figure>
  );
}
