"use client";

import { type ReactNode, useEffect, useRef } from "react";

/**
 * A modal on the browser's own <dialog>: focus trapped, Escape closes, the page behind inert. `wide` for the
 * replay; on a phone every dialog takes the whole screen.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  wide = false,
  labelledBy,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  wide?: boolean;
  labelledBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={labelledBy ? undefined : title}
      aria-labelledby={labelledBy}
      onClose={onClose}
      onCancel={onClose}
      className={`m-0 h-dvh max-h-none w-full max-w-none overflow-y-auto bg-white p-0 text-slate-900 backdrop:bg-slate-900/50 sm:m-auto sm:h-fit sm:max-h-[90dvh] sm:rounded-2xl sm:shadow-2xl ${wide ? "sm:w-[min(72rem,calc(100vw-2rem))]" : "sm:w-[min(34rem,calc(100vw-2rem))]"}`}
    >
      {open ? children : null}
    </dialog>
  );
}

export function DialogHeader({ title, onClose, id }: { title: ReactNode; onClose: () => void; id?: string }) {
  return (
    <header className="sticky top-0 z-10 flex items-center justify-between gap-3 border-b border-slate-100 bg-white/95 px-4 py-3 backdrop-blur sm:px-6">
      <h2 id={id} className="min-w-0 truncate text-base font-semibold">
        {title}
      </h2>
      <button
        type="button"
        onClick={onClose}
        className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
        aria-label="Close"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M6 6l12 12M18 6L6 18" strokeLinecap="round" />
        </svg>
      </button>
    </header>
  );
}
