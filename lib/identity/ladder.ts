import { type IdentifierType, parseIdentifierKey } from "./types.ts";

/** R10: a visit ends after 30 minutes without a web event. */
export const VISIT_GAP_MS = 30 * 60 * 1000;

/** Event types that put a person on rung 4 (API.md). */
export const RUNG4_TYPES: ReadonlySet<string> = new Set([
  "payment_succeeded",
  "checkout_completed",
  "booking_created",
  "account_created",
]);

export interface Holdings {
  email: number;
  phone: number;
  account: number;
}

/**
 * R10: 0 device seen once; 1 the same device on a second visit; 2 an email is known; 3 a phone is known;
 * 4 an account id, or a payment, checkout or booking. The result never undercuts `current`: a rung never
 * goes down (R10), except where a split or erasure recomputes it from scratch.
 */
export function climb(current: number, holds: Holdings, visitCount: number, eventType?: string): number {
  let rung = current;
  if (visitCount >= 2) rung = Math.max(rung, 1);
  if (holds.email > 0) rung = Math.max(rung, 2);
  if (holds.phone > 0) rung = Math.max(rung, 3);
  if (holds.account > 0 || (eventType && RUNG4_TYPES.has(eventType))) rung = 4;
  return rung;
}

export interface VisitState {
  visitCount: number;
  lastWebAt: number | null;
}

/**
 * Counts a web event at time `t` into the visits: one further than 30 minutes from the latest web event
 * starts a new visit. Late events are judged against the latest one only (exact counts are recomputed from
 * the events on merge and split).
 */
export function countVisit(state: VisitState, t: number) {
  if (state.lastWebAt === null || Math.abs(t - state.lastWebAt) > VISIT_GAP_MS) state.visitCount++;
  if (state.lastWebAt === null || t > state.lastWebAt) state.lastWebAt = t;
}

export interface LadderEvent {
  id: string;
  occurredAt: Date;
  source: string;
  type: string;
  identityHashes: string[];
}

export interface Replay {
  /** The rung after each event, by event id. */
  rungs: Map<string, number>;
  rung: number;
  reached: { rung: number; reachedAt: Date; eventId: string | null }[];
  visitCount: number;
  lastWebAt: number | null;
}

/**
 * The ladder replayed from a person's events in time order, counting only the identifiers they hold:
 * how a split recomputes rungs (R16) as if the merge had never been.
 */
export function replayLadder(events: LadderEvent[], held: ReadonlySet<string>, fallbackAt: Date): Replay {
  const sorted = [...events].sort(
    (a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id.localeCompare(b.id),
  );
  const holds: Holdings = { email: 0, phone: 0, account: 0 };
  const visits: VisitState = { visitCount: 0, lastWebAt: null };
  const rungs = new Map<string, number>();
  const reached: Replay["reached"] = [];
  let rung = -1;
  for (const e of sorted) {
    for (const key of e.identityHashes) {
      if (!held.has(key)) continue;
      const { type } = parseIdentifierKey(key);
      if (type !== "device") holds[type as Exclude<IdentifierType, "device">] = 1;
    }
    if (e.source === "web") countVisit(visits, e.occurredAt.getTime());
    const next = climb(Math.max(rung, 0), holds, visits.visitCount, e.type);
    if (next > rung) reached.push({ rung: next, reachedAt: e.occurredAt, eventId: e.id });
    rung = next;
    rungs.set(e.id, rung);
  }
  // Identifiers held without an event that carried them (moved by hand) still count.
  for (const key of held) {
    const { type } = parseIdentifierKey(key);
    if (type !== "device") holds[type as Exclude<IdentifierType, "device">] = 1;
  }
  const final = climb(Math.max(rung, 0), holds, visits.visitCount);
  if (final > rung) reached.push({ rung: final, reachedAt: sorted.at(-1)?.occurredAt ?? fallbackAt, eventId: null });
  return { rungs, rung: final, reached, visitCount: visits.visitCount, lastWebAt: visits.lastWebAt };
}
