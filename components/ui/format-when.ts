/** A stored time for a settings list: "Dec 1, 2026, 10:06 PM", or `empty` when there is none. */
export const formatWhen = (iso: string | null, empty: string) =>
  iso ? new Date(iso).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" }) : empty;
