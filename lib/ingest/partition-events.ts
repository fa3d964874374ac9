import type { PreparedEvent } from "./prepare-events.ts";

/** What ties an event to others the batch can see: its client id, its identifiers, its tracked-link click. */
export function keysOf(e: PreparedEvent): string[] {
  return [`c:${e.clientId}`, ...e.identityHashes, ...(e.linkClickId ? [`l:${e.linkClickId}`] : [])];
}

/**
 * Splits a batch into at most `parts` groups of events that share nothing the batch can see: no identifier,
 * no tracked-link click, no client id (connected components, packed largest first). Each group keeps its
 * events in their original order. Groups can then be written by concurrent transactions; links the batch
 * cannot see (two identifiers of one stored profile) are still handled by the transactions' locks (R8).
 * Returns lists of indexes into `events`.
 */
export function partitionEvents(events: readonly PreparedEvent[], parts: number): number[][] {
  const parent = events.map((_, i) => i);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[i] !== r) {
      const next = parent[i] as number;
      parent[i] = r;
      i = next;
    }
    return r;
  };
  const owner = new Map<string, number>();
  events.forEach((e, i) => {
    for (const k of keysOf(e)) {
      const j = owner.get(k);
      if (j === undefined) owner.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const components = new Map<number, number[]>();
  events.forEach((_, i) => {
    const r = find(i);
    const list = components.get(r);
    if (list) list.push(i);
    else components.set(r, [i]);
  });
  const bins: number[][] = Array.from({ length: Math.max(1, Math.min(parts, components.size)) }, () => []);
  for (const c of [...components.values()].sort((a, b) => b.length - a.length)) {
    const smallest = bins.reduce((m, b) => (b.length < m.length ? b : m));
    smallest.push(...c);
  }
  return bins.filter((b) => b.length).map((b) => b.sort((x, y) => x - y));
}
