import { SOURCE_LABELS } from "./format.ts";

/** A small glyph per source (no icon font: simple inline SVG paths). */
const PATHS: Record<string, string> = {
  web: "M3 5h18v14H3zM3 9h18",
  email: "M3 6h18v12H3zM3 6l9 7 9-7",
  channel: "M4 5h16v10H8l-4 4z",
  agent: "M12 3a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM5 21a7 7 0 0 1 14 0",
  webhook: "M12 3v6M8 21l4-12 4 12M5 13h14",
  pixel: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
  ads: "M4 10v4h3l6 4V6L7 10zM17 9a4 4 0 0 1 0 6",
};

export function SourceIcon({ source }: { source: string }) {
  return (
    <span
      title={SOURCE_LABELS[source] ?? source}
      className="inline-flex size-7 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-600"
    >
      <svg
        aria-hidden
        viewBox="0 0 24 24"
        className="size-4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d={PATHS[source] ?? "M12 12h.01"} />
      </svg>
      <span className="sr-only">{SOURCE_LABELS[source] ?? source}</span>
    </span>
  );
}
