"use client";

import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";

export interface Deletion {
  business: string;
  deletedAt: string;
  cancelledSends: number;
}

const DeletedContext = createContext<(d: Deletion) => void>(() => {});

/** Lets the Delete button replace the whole page with what happened, once the data is gone. */
export const useOnDeleted = () => useContext(DeletedContext);

/** The person's page, until they delete everything: then only the account of what was done. */
export function PreferencesShell({ children }: { children: ReactNode }) {
  const [deleted, setDeleted] = useState<Deletion | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (deleted) heading.current?.focus();
  }, [deleted]);
  if (deleted) {
    const at = new Date(deleted.deletedAt).toLocaleString("en-GB", {
      dateStyle: "long",
      timeStyle: "short",
      timeZone: "UTC",
    });
    return (
      <section className="rounded-xl border border-slate-200 bg-white p-6 shadow-xs" aria-labelledby="deleted-heading">
        <h2 id="deleted-heading" ref={heading} tabIndex={-1} className="text-xl font-semibold text-slate-900">
          Your data was deleted
        </h2>
        <div className="mt-3 space-y-3 text-slate-700">
          <p>
            Everything {deleted.business} held about you was deleted on {at} UTC: your contact details, your visits and
            activity, your messages, your consent records and choices.
          </p>
          {deleted.cancelledSends ? (
            <p>
              {deleted.cancelledSends === 1
                ? "One message that was about to be sent to you was cancelled."
                : `${deleted.cancelledSends} messages that were about to be sent to you were cancelled.`}
            </p>
          ) : null}
          <p>
            This page and the link that opened it no longer work. If you contact {deleted.business} again, they start
            with nothing from before.
          </p>
        </div>
      </section>
    );
  }
  return <DeletedContext.Provider value={setDeleted}>{children}</DeletedContext.Provider>;
}
