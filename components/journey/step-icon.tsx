import type { Step } from "@/lib/timeline/describe-event.ts";

/** A glyph and a colour per kind of step (inline SVG paths, no icon font). */
const STEPS: Record<Step, { path: string; tone: string; label: string }> = {
  ad: { path: "M4 10v4h3l6 4V6L7 10zM17 9a4 4 0 0 1 0 6", tone: "bg-rose-100 text-rose-700", label: "Ad" },
  page: { path: "M3 5h18v14H3zM3 9h18", tone: "bg-sky-100 text-sky-700", label: "Website" },
  form: { path: "M5 4h14v16H5zM8 8h8M8 12h8M8 16h5", tone: "bg-indigo-100 text-indigo-700", label: "Form" },
  email: { path: "M3 6h18v12H3zM3 6l9 7 9-7", tone: "bg-amber-100 text-amber-800", label: "Email" },
  message: { path: "M4 5h16v10H8l-4 4z", tone: "bg-emerald-100 text-emerald-700", label: "Message" },
  call: {
    path: "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2",
    tone: "bg-teal-100 text-teal-700",
    label: "Call",
  },
  agent: {
    path: "M12 3a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM5 21a7 7 0 0 1 14 0",
    tone: "bg-violet-100 text-violet-700",
    label: "Agent",
  },
  payment: { path: "M3 6h18v12H3zM3 10h18M7 15h3", tone: "bg-green-100 text-green-700", label: "Payment" },
  booking: { path: "M4 5h16v15H4zM4 9h16M8 3v4M16 3v4", tone: "bg-green-100 text-green-700", label: "Booking" },
  link: {
    path: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
    tone: "bg-cyan-100 text-cyan-700",
    label: "Tracked link",
  },
  other: {
    path: "M12 8v4l3 2M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18",
    tone: "bg-slate-100 text-slate-600",
    label: "Signal",
  },
};

export function StepIcon({ step, size = "md" }: { step: Step; size?: "sm" | "md" | "lg" }) {
  const s = STEPS[step] ?? STEPS.other;
  const box = size === "lg" ? "size-12" : size === "sm" ? "size-6" : "size-8";
  const glyph = size === "lg" ? "size-6" : size === "sm" ? "size-3.5" : "size-4";
  return (
    <span className={`inline-flex shrink-0 items-center justify-center rounded-full ${box} ${s.tone}`} title={s.label}>
      <svg
        aria-hidden
        viewBox="0 0 24 24"
        className={glyph}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d={s.path} />
      </svg>
    </span>
  );
}
