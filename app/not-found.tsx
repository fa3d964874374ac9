import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Page not found" };

/**
 * Every 404 of the app (an unknown address, another workspace's page, a person who is gone): in the app's own
 * look, with the ways back, and without saying whether something exists for someone else.
 */
export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12 text-center">
      <Link href="/" className="mb-10 flex items-center gap-2 text-lg font-semibold text-slate-900">
        <span aria-hidden className="inline-block size-6 rounded-md bg-brand-600" />
        OneThread
      </Link>
      <p className="text-sm font-semibold tracking-wide text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">This page is not here</h1>
      <p className="mt-3 max-w-md text-sm leading-relaxed text-slate-600">
        The address may be mistyped, the person may have been merged or erased, or the page belongs to a workspace you
        are not a member of.
      </p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <Link
          href="/app"
          className="rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Go to your workspace
        </Link>
        <Link
          href="/"
          className="rounded-lg px-4 py-2.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-white"
        >
          Home
        </Link>
      </div>
    </main>
  );
}
