"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useEffect, useState } from "react";

const NAV = [
  {
    title: null,
    items: [
      { href: "", label: "Overview" },
      { href: "/people", label: "Customers" },
      { href: "/conversations", label: "Conversations" },
      { href: "/ladder", label: "Ladder" },
      { href: "/campaigns", label: "Campaigns" },
      { href: "/reports/ga-comparison", label: "Reports" },
    ],
  },
  {
    title: "Settings",
    items: [
      { href: "/settings", label: "General" },
      { href: "/settings/keys", label: "API keys" },
      { href: "/settings/integrations", label: "Integrations" },
      { href: "/settings/privacy", label: "Privacy" },
      { href: "/settings/members", label: "Members" },
      { href: "/settings/data", label: "Data & export" },
    ],
  },
];

/** The page's own entry, or the section it belongs to (a person's page is under Customers). */
function isActive(path: string, base: string, href: string) {
  if (href === "" || href === "/settings") return path === base + href;
  if (href.startsWith("/reports/")) return path.startsWith(`${base}/reports/`);
  return path === base + href || path.startsWith(`${base + href}/`);
}

/**
 * The workspace's navigation: a column on the left from 768 px up; on a phone a bar on top whose Menu button
 * opens the same links (closed again by following one).
 */
export function Sidebar({ slug, name, email }: { slug: string; name: string; email: string }) {
  const path = usePathname();
  const base = `/app/${slug}`;
  const [open, setOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page closes the phone menu
  useEffect(() => setOpen(false), [path]);
  return (
    <aside className="border-b border-slate-200 bg-white md:flex md:w-60 md:shrink-0 md:flex-col md:border-r md:border-b-0">
      <div className="flex items-center gap-2 px-4 py-3 md:px-5 md:py-5">
        <span aria-hidden className="inline-block size-6 shrink-0 rounded-md bg-brand-600" />
        <span className="min-w-0 flex-1 truncate font-semibold" title={name}>
          {name}
        </span>
        <button
          type="button"
          aria-expanded={open}
          aria-controls="workspace-menu"
          onClick={() => setOpen((o) => !o)}
          className="rounded-lg border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 md:hidden"
        >
          Menu
        </button>
      </div>
      <div id="workspace-menu" className={`${open ? "block" : "hidden"} md:flex md:flex-1 md:flex-col`}>
        <nav aria-label="Workspace" className="flex-1 space-y-5 px-3 pb-3 md:pb-0">
          {NAV.map((section) => (
            <div key={section.title ?? "main"} className="space-y-0.5">
              {section.title ? (
                <p className="px-3 pb-1 text-xs font-medium uppercase tracking-wide text-slate-500">{section.title}</p>
              ) : null}
              {section.items.map((item) => {
                const active = isActive(path, base, item.href);
                return (
                  <Link
                    key={item.href}
                    href={base + item.href}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded-lg px-3 py-2 text-sm ${active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900"}`}
                  >
                    {item.label}
                  </Link>
                );
              })}
            </div>
          ))}
        </nav>
        <div className="border-t border-slate-100 px-5 py-4 text-sm">
          <p className="truncate text-slate-500" title={email}>
            {email}
          </p>
          <button
            type="button"
            onClick={() => signOut({ callbackUrl: "/login?loggedOut=1" })}
            className="mt-1 font-medium text-slate-700 hover:text-slate-900"
          >
            Log out
          </button>
        </div>
      </div>
    </aside>
  );
}
