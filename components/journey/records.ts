import type { NudgeItem } from "@/lib/nudges/list-nudges.ts";
import type { PersonOverview } from "@/lib/people/person-overview.ts";
import { words } from "@/lib/timeline/words.ts";
import type { JourneyRecord } from "./journey-view.tsx";

const list = (types: string[]) => {
  const counts = new Map<string, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([t, n]) => (n > 1 ? `${n} ${t}s` : `a ${t}`)).join(", ") || "identifiers";
};

/** A nudge as a line of the journey, where its event happened (decision 020). */
function nudgeRecord(n: NudgeItem): JourneyRecord {
  const state = n.doneAt ? " Done." : "";
  // Just after the event that made it fire, so it reads as that event's consequence.
  const at = new Date(new Date(n.occurredAt).getTime() + 1).toISOString();
  return { id: `nudge-${n.id}`, at, kind: "nudge", label: `Nudge: ${n.title}. ${n.action}.${state}`, href: null };
}

/**
 * Merges and splits as lines of the journey, in words, with who did them and a link to the other person; and
 * the nudges the workspace's rules fired for the person.
 */
export function journeyRecords(person: PersonOverview, slug: string, nudges: NudgeItem[] = []): JourneyRecord[] {
  const merges = person.merges.map((m): JourneyRecord => {
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
  return [...merges, ...nudges.map(nudgeRecord)].sort((a, b) => a.at.localeCompare(b.at));
}
