import { uuidv7 } from "../db/uuidv7.ts";
import { earlierTouch, laterTouch, type Touch } from "./attribution.ts";
import { climb, countVisit } from "./ladder.ts";
import type { IdentifierType } from "./types.ts";

/** One person as the batch sees them while resolving: loaded under lock, changed in memory, written once. */
export interface ProfileState {
  id: string;
  isNew: boolean;
  createdAt: number;
  rung: number;
  customerNumber: number | null;
  holds: Record<IdentifierType, number>;
  /** Hashes of the account ids held (R5a). */
  accounts: Set<string>;
  visitCount: number;
  lastWebAt: number | null;
  firstSeenAt: number | null;
  lastSeenAt: number | null;
  firstTouch: Touch | null;
  lastTouch: Touch | null;
  eventCount: number;
  emailEnc: string | null;
  phoneEnc: string | null;
  displayName: string | null;
  /** Readable values waiting to be encrypted into emailEnc/phoneEnc at write time. */
  pendingEmail: string | null;
  pendingPhone: string | null;
  mergedInto: string | null;
  mergedAt: Date | null;
  touched: boolean;
  /** A merge survivor: its counts and touches are recomputed from its events after the write. */
  refresh: boolean;
  /** Whether it has conversation threads in the database (a merge then joins them). */
  hasThreads: boolean;
  reached: { rung: number; reachedAt: Date; eventId: string | null }[];
  /** Order of first reaching rung 4 within this batch: customer numbers are handed out in that order (R12). */
  numberOrder: number | null;
}

export interface IdentifierState {
  key: string;
  type: IdentifierType;
  hash: string;
  id: string;
  owner: string;
  shared: boolean;
  isNew: boolean;
  changed: boolean;
  lastSeenAt: number;
  /** The normalised value, for identifiers created by this batch (encrypted and masked at write time). */
  value: string | null;
  firstEventId: string | null;
}

export interface LinkRecord {
  profileId: string;
  identifierId: string | null;
  type: IdentifierType;
  hash: string;
  eventId: string | null;
  action: "attached" | "shared" | "refused";
  reason: string | null;
}

export interface MergeRecord {
  from: string;
  into: string;
  eventId: string | null;
  kind: "auto" | "refused";
  reason: string | null;
  keys: string[];
}

export function emptyHoldings(): Record<IdentifierType, number> {
  return { account: 0, email: 0, phone: 0, device: 0 };
}

export class IdentityState {
  readonly profiles = new Map<string, ProfileState>();
  readonly identifiers = new Map<string, IdentifierState>();
  readonly merges: MergeRecord[] = [];
  readonly links: LinkRecord[] = [];
  private numbers = 0;

  /** The live profile a (possibly merged-away) id stands for. */
  find(id: string): ProfileState {
    let p = this.profiles.get(id);
    if (!p) throw new Error(`Profile ${id} was not loaded into the batch.`);
    while (p.mergedInto) {
      const next = this.profiles.get(p.mergedInto);
      if (!next) throw new Error(`Profile ${p.mergedInto} was not loaded into the batch.`);
      p = next;
    }
    return p;
  }

  ownerOf(ident: IdentifierState): ProfileState {
    return this.find(ident.owner);
  }

  newProfile(at: number): ProfileState {
    const p: ProfileState = {
      id: uuidv7(),
      isNew: true,
      createdAt: Date.now(),
      rung: 0,
      customerNumber: null,
      holds: emptyHoldings(),
      accounts: new Set(),
      visitCount: 0,
      lastWebAt: null,
      firstSeenAt: at,
      lastSeenAt: at,
      firstTouch: null,
      lastTouch: null,
      eventCount: 0,
      emailEnc: null,
      phoneEnc: null,
      displayName: null,
      pendingEmail: null,
      pendingPhone: null,
      mergedInto: null,
      mergedAt: null,
      touched: true,
      refresh: false,
      hasThreads: false,
      reached: [],
      numberOrder: null,
    };
    this.profiles.set(p.id, p);
    return p;
  }

  claimNumberOrder(): number {
    return ++this.numbers;
  }

  /** Keys of the identifiers this batch knows that the profile holds right now. */
  keysOf(profile: ProfileState): string[] {
    const out: string[] = [];
    for (const ident of this.identifiers.values()) if (this.ownerOf(ident) === profile) out.push(ident.key);
    return out;
  }

  /**
   * Applies one stored event to its profile: visits, the ladder (R10), the rung at the event (R11), the
   * customer number's turn (R12), seen times, touches (R15) and the event count.
   */
  applyEvent(p: ProfileState, e: { id: string; occurredAt: Date; source: string; type: string; touch: Touch | null }) {
    const t = e.occurredAt.getTime();
    if (e.source === "web") countVisit(p, t);
    const before = p.rung;
    p.rung = climb(p.rung, p.holds, p.visitCount, e.type);
    if (p.rung > before || (p.isNew && p.reached.length === 0)) {
      p.reached.push({ rung: p.rung, reachedAt: e.occurredAt, eventId: e.id });
    }
    if (p.rung === 4 && p.customerNumber === null && p.numberOrder === null) p.numberOrder = this.claimNumberOrder();
    p.firstSeenAt = p.firstSeenAt === null ? t : Math.min(p.firstSeenAt, t);
    p.lastSeenAt = p.lastSeenAt === null ? t : Math.max(p.lastSeenAt, t);
    p.firstTouch = earlierTouch(p.firstTouch, e.touch);
    p.lastTouch = laterTouch(p.lastTouch, e.touch);
    p.eventCount++;
    p.touched = true;
    return p.rung;
  }
}
