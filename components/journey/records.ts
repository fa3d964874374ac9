import type { PersonOverview } from "@/lib/people/person-overview.ts";
import { words } from "@/lib/timeline/words.ts";
import type { JourneyRecord } from "./journey-view.tsx";

const list = (types: string[]) => {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([t, n]) => (n > 1 ? `${n} ${t}s` : `a ${t}`)).join(", ") || "identifiers";
};

/** Merges and splits as lines of the journey, in words, with who did them and a link to the other person. */
export function journeyRecords(person: PersonOverview, slug: string): JourneyRecord[] {
  return person.merges.map((m) => {
    const other = m.otherName ?? "another person";
    const by = m.by ? ` by ${m.by}` : "";
    const undone = m.undoneAt ? " (undone by a later split)" : "";
    const href = m.otherLive ? `/app/${slug}/people/${m.otherId}` : null;
    let label: string;
    if (m.kind === "split")
      label =
        m.fromProfileId === person.id
          ? `Split${by}: ${list(m.identifierTypes)} and their events moved to a new person (${other}).`
          : `Split off from ${other}${by}.`;
    else if (m.kind === "refused")
      label = `A merge with ${other} was refused${m.reason ? ` (${words(m.reason)})` : ""}: only a server event or an owner joins them.`;
    else
      label = `${m.kind === "manual" ? `Merged${by}` : "Merged automatically"} with ${other}: ${list(m.identifierTypes)} moved here${undone}.`;
    return { id: m.id, at: m.createdAt.toISOString(), kind: m.kind, label, href };
  });
}
