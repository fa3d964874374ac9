import { formatInZone, SOURCE_LABELS } from "@/components/people/format.ts";
import { DIRECT_MEANING } from "@/lib/campaigns/describe-touch.ts";
import { CLICK_IDS, DIRECT, touchChannel } from "@/lib/campaigns/touch-channel.ts";

/** "google / organic", "(direct)": a touch (R15) named as the campaigns page names it. */
export function touchName(touch: unknown) {
  const c = touchChannel(touch);
  return [c.source, c.medium, c.campaign].filter(Boolean).join(" / ");
}

/**
 * A touch (R15) as the campaigns page names it — source / medium / campaign, with a click id or a referrer
 * standing in for missing UTM tags — and the raw details it came with.
 */
export function TouchView({ touch, zone }: { touch: unknown; zone: string }) {
  // No touch at all counts as "(direct)" on the campaigns page: the same words here.
  if (!touch || typeof touch !== "object")
    return (
      <p className="text-sm text-slate-700" title={DIRECT_MEANING}>
        {DIRECT} <span className="text-slate-500">· no campaign, click id or referrer</span>
      </p>
    );
  const t = touch as Record<string, string | undefined>;
  const channel = touchChannel(t);
  const click = CLICK_IDS.find((c) => t[c.key]);
  const rows: [string, string | undefined][] = [
    ["When", t.occurredAt ? formatInZone(t.occurredAt, zone) : undefined],
    ["Source", channel.source],
    ["Medium", channel.medium],
    ["Campaign", channel.campaign],
    ["Creative", t.utm_content],
    ["Term", t.utm_term],
    ["Click id", click ? `${click.key} ${t[click.key]}` : undefined],
    ["Referrer", t.referrer],
    ["Via", t.source ? (SOURCE_LABELS[t.source] ?? t.source) : undefined],
  ];
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-sm">
      {rows
        .filter(([, v]) => v)
        .map(([label, v]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className="truncate" title={v}>
              {v}
            </dd>
          </div>
        ))}
    </dl>
  );
}
