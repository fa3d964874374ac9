const COLORS = [
  "bg-sky-100 text-sky-800",
  "bg-amber-100 text-amber-800",
  "bg-emerald-100 text-emerald-800",
  "bg-rose-100 text-rose-800",
  "bg-violet-100 text-violet-800",
  "bg-teal-100 text-teal-800",
  "bg-orange-100 text-orange-800",
  "bg-indigo-100 text-indigo-800",
];

/** "Jo Rivera" → "JR", "jo.rivera@example.com" → "JR", nothing → "?". */
export function initialsOf(label: string | null) {
  if (!label) return "?";
  const words = label
    .split("@")[0]!
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return (
    letters
      .map((w) => [...w][0] ?? "")
      .join("")
      .toUpperCase() || "?"
  );
}

/** A round badge with the person's initials, its colour fixed by their id, so rows tell apart at a glance. */
export function PersonAvatar({ id, label, size = "md" }: { id: string; label: string | null; size?: "md" | "lg" }) {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return (
    <span
      aria-hidden
      className={`inline-flex shrink-0 items-center justify-center rounded-full font-semibold ${COLORS[h % COLORS.length]} ${size === "lg" ? "size-11 text-base" : "size-9 text-sm"}`}
    >
      {initialsOf(label)}
    </span>
  );
}
