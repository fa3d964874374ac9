import Link from "next/link";

const TABS = [
  { href: "/reports/ga-comparison", label: "GA comparison" },
  { href: "/reports/topics", label: "Topics" },
  { href: "/reports/refunds", label: "Refunds" },
] as const;

/** The reports of the owner app, one link each; the current one marked. */
export function ReportTabs({ slug, current }: { slug: string; current: (typeof TABS)[number]["href"] }) {
  return (
    <nav aria-label="Reports" className="flex gap-1 overflow-x-auto border-b border-slate-200 text-sm">
      {TABS.map((t) => (
        <Link
          key={t.href}
          href={`/app/${slug}${t.href}`}
          aria-current={t.href === current ? "page" : undefined}
          className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2 ${t.href === current ? "border-brand-600 font-medium text-slate-900" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
