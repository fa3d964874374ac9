import Link from "next/link";

const REPORTS = [
  { href: "/reports/ga-comparison", label: "GA comparison" },
  { href: "/reports/topics", label: "Topics" },
  { href: "/reports/refunds", label: "Refunds" },
  { href: "/reports/weekly-summary", label: "Friday summary" },
];

/** The reports' own tabs (the sidebar's "Reports" opens the first). */
export function ReportsNav({ slug, current }: { slug: string; current: string }) {
  return (
    <nav aria-label="Reports" className="flex gap-1 overflow-x-auto border-b border-slate-200">
      {REPORTS.map((r) => {
        const active = r.href === current;
        return (
          <Link
            key={r.href}
            href={`/app/${slug}${r.href}`}
            aria-current={active ? "page" : undefined}
            className={`-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {r.label}
          </Link>
        );
      })}
    </nav>
  );
}
