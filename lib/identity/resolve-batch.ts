import { randomUUID } from "node:crypto";
import { encrypt } from "../crypto/keys.ts";
import type { IncomingEvent } from "../ingest/schemas.ts";
import { CUSTOMER_TYPES, rungsHeld, VISIT_GAP_MS } from "./ladder.ts";
import { type IdentifierType, LIMITS, maskIdentifier, STRONG } from "./normalize-identifier.ts";
import type { Touch } from "./touch.ts";

/**
 * The in-memory half of resolution (IDENTITY.md R4–R15): given the current state of every profile and
 * identifier a batch touches (loaded under locks), applies the batch's events in order and records what to
 * write. No database access here, so the rules are plain code; lib/ingest/ingest-events.ts loads and writes.
 */
export interface EventIdentifier {
  type: IdentifierType;
  value: string;
  hash: string;
}

export interface ProfileState {
  id: string;
  isNew: boolean;
  createdAt: Date;
  rung: number;
  customerNumber: number | null;
  needsCustomerNumber: boolean;
  counts: Record<"email" | "phone" | "account", number>;
  accountHash: string | null;
  visitCount: number;
  lastWebAt: Date | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  eventCount: number;
  firstTouch: Touch | null;
  lastTouch: Touch | null;
  emailEnc: string | null;
  phoneEnc: string | null;
  displayName: string | null;
  customerEvent: boolean;
  newRungs: { rung: number; reachedAt: Date; eventId: string }[];
  touched: boolean;
}

export interface IdentifierState {
  id: string;
  type: IdentifierType;
  hash: string;
  profileId: string;
  shared: boolean;
  isNew: boolean;
  changed: boolean;
  valueEnc: string | null;
  masked: string | null;
  firstEventId: string | null;
}

export interface LinkRecord {
  profileId: string;
  identifierId: string | null;
  type: IdentifierType;
  hash: string;
  eventId: string;
  action: "attached" | "shared" | "refused";
  reason?: string;
}

export interface MergeRecord {
  fromId: string;
  intoId: string;
  eventId: string;
}

export interface RefusedMerge {
  fromId: string;
  intoId: string;
  eventId: string;
  reason: string;
}

export interface ResolvedEvent {
  eventId: string;
  profileId: string;
  rung: number;
  touch: Record<string, string> | null;
}

export class BatchState {
  readonly profiles = new Map<string, ProfileState>();
  readonly identifiers = new Map<string, IdentifierState>(); // key: type:hash
  readonly forward = new Map<string, string>(); // merged profile → survivor (this batch)
  readonly links: LinkRecord[] = [];
  readonly merges: MergeRecord[] = [];
  readonly refused: RefusedMerge[] = [];

  key = (type: IdentifierType, hash: string) => `${type}:${hash}`;

  live(id: string): string {
    let current = id;
    for (let guard = 0; this.forward.has(current) && guard < 100; guard++)
      current = this.forward.get(current) as string;
    return current;
  }

  profile(id: string): ProfileState {
    return this.profiles.get(this.live(id)) as ProfileState;
  }

  newProfile(at: Date): ProfileState {
    const p: ProfileState = {
      id: randomUUID(),
      isNew: true,
      createdAt: new Date(),
      rung: 0,
      customerNumber: null,
      needsCustomerNumber: false,
      counts: { email: 0, phone: 0, account: 0 },
      accountHash: null,
      visitCount: 0,
      lastWebAt: null,
      firstSeenAt: at,
      lastSeenAt: at,
      eventCount: 0,
      firstTouch: null,
      lastTouch: null,
      emailEnc: null,
      phoneEnc: null,
      displayName: null,
      customerEvent: false,
      newRungs: [],
      touched: true,
    };
    this.profiles.set(p.id, p);
    return p;
  }

  private attach(p: ProfileState, id: EventIdentifier, eventId: string) {
    const existing = this.identifiers.get(this.key(id.type, id.hash));
    if (existing) {
      // A known device moving to (or shared with) another person: R5b, R7.
      if (this.live(existing.profileId) !== p.id) {
        existing.profileId = p.id;
        existing.shared = true;
        existing.changed = true;
        this.links.push({
          profileId: p.id,
          identifierId: existing.id,
          type: id.type,
          hash: id.hash,
          eventId,
          action: "shared",
        });
      }
      return;
    }
    const state: IdentifierState = {
      id: randomUUID(),
      type: id.type,
      hash: id.hash,
      profileId: p.id,
      shared: false,
      isNew: true,
      changed: false,
      valueEnc: id.type === "device" ? null : encrypt(id.value),
      masked: maskIdentifier(id.type, id.value),
      firstEventId: eventId,
    };
    this.identifiers.set(this.key(id.type, id.hash), state);
    if (id.type !== "device") {
      p.counts[id.type]++;
      if (id.type === "account") p.accountHash = id.hash;
      if (id.type === "email" && !p.emailEnc) p.emailEnc = state.valueEnc;
      if (id.type === "phone" && !p.phoneEnc) p.phoneEnc = state.valueEnc;
    }
    p.touched = true;
    this.links.push({
      profileId: p.id,
      identifierId: state.id,
      type: id.type,
      hash: id.hash,
      eventId,
      action: "attached",
    });
  }

  private canAttach(p: ProfileState, id: EventIdentifier) {
    if (id.type === "device") return true;
    if (id.type === "account" && p.accountHash && p.accountHash !== id.hash) return false;
    return p.counts[id.type] < LIMITS[id.type];
  }

  private refuse(p: ProfileState, id: EventIdentifier, eventId: string, reason: string) {
    this.links.push({
      profileId: p.id,
      identifierId: null,
      type: id.type,
      hash: id.hash,
      eventId,
      action: "refused",
      reason,
    });
  }

  /** R6: the survivor holds the customer number if exactly one does, else it is the older profile. */
  private merge(a: ProfileState, b: ProfileState, eventId: string): ProfileState {
    let [into, from] = a.createdAt <= b.createdAt ? [a, b] : [b, a];
    if ((a.customerNumber !== null || a.needsCustomerNumber) !== (b.customerNumber !== null || b.needsCustomerNumber)) {
      [into, from] = a.customerNumber !== null || a.needsCustomerNumber ? [a, b] : [b, a];
    }
    for (const ident of this.identifiers.values())
      if (this.live(ident.profileId) === from.id) ident.profileId = into.id;
    into.counts.email += from.counts.email;
    into.counts.phone += from.counts.phone;
    into.counts.account += from.counts.account;
    into.accountHash ??= from.accountHash;
    into.rung = Math.max(into.rung, from.rung);
    into.visitCount += from.visitCount;
    into.lastWebAt = maxDate(into.lastWebAt, from.lastWebAt);
    into.firstSeenAt = minDate(into.firstSeenAt, from.firstSeenAt) as Date;
    into.lastSeenAt = maxDate(into.lastSeenAt, from.lastSeenAt) as Date;
    into.eventCount += from.eventCount;
    into.firstTouch = earlier(into.firstTouch, from.firstTouch);
    into.lastTouch = later(into.lastTouch, from.lastTouch);
    into.emailEnc ??= from.emailEnc;
    into.phoneEnc ??= from.phoneEnc;
    into.displayName ??= from.displayName;
    into.customerEvent ||= from.customerEvent;
    if (into.customerNumber === null && !into.needsCustomerNumber) {
      into.customerNumber = from.customerNumber;
      into.needsCustomerNumber = from.needsCustomerNumber;
    }
    for (const r of from.newRungs) into.newRungs.push(r);
    into.touched = true;
    this.forward.set(from.id, into.id);
    if (from.isNew) {
      // Never written: its rows simply become the survivor's.
      this.profiles.delete(from.id);
      for (const link of this.links) if (link.profileId === from.id) link.profileId = into.id;
    } else {
      this.merges.push({ fromId: from.id, intoId: into.id, eventId });
    }
    return into;
  }

  private mayMerge(a: ProfileState, b: ProfileState) {
    return !(a.accountHash && b.accountHash && a.accountHash !== b.accountHash); // R5a
  }

  /** R4, R5, R7, R13, R14: the profile this event belongs to, after attaching and merging what it carries. */
  resolve(ids: EventIdentifier[], eventId: string, at: Date): ProfileState {
    const strong = ids.filter((i) => STRONG.has(i.type));
    const device = ids.find((i) => i.type === "device");
    let target: ProfileState | null = null;
    const pending: EventIdentifier[] = [];

    for (const id of strong) {
      const known = this.identifiers.get(this.key(id.type, id.hash));
      if (known) {
        const p = this.profile(known.profileId);
        if (!target) {
          // New identifiers stronger than this one join it if they fit; else they make their own person.
          if (pending.every((n) => this.canAttach(p, n))) {
            target = p;
            for (const n of pending.splice(0)) this.attach(p, n, eventId);
          } else {
            target = this.newProfile(at);
            for (const n of pending.splice(0)) this.attach(target, n, eventId);
            this.refused.push({ fromId: p.id, intoId: target.id, eventId, reason: "different account ids (R5a)" });
            this.refuse(target, id, eventId, "belongs to another person with a different account (R5a)");
          }
        } else if (p.id !== target.id) {
          if (this.mayMerge(target, p)) target = this.merge(target, p, eventId);
          else {
            this.refused.push({ fromId: p.id, intoId: target.id, eventId, reason: "different account ids (R5a)" });
            this.refuse(target, id, eventId, "belongs to another person with a different account (R5a)");
          }
        }
      } else if (target) {
        if (this.canAttach(target, id)) this.attach(target, id, eventId);
        else
          this.refuse(
            target,
            id,
            eventId,
            `the person already holds the maximum of ${LIMITS[id.type]} ${id.type} identifier(s) (R5c)`,
          );
      } else {
        pending.push(id);
      }
    }

    const knownDevice = device ? this.identifiers.get(this.key(device.type, device.hash)) : undefined;
    const deviceProfile = knownDevice ? this.profile(knownDevice.profileId) : null;
    const anonymous = (p: ProfileState) => p.counts.email + p.counts.phone + p.counts.account === 0;

    if (!target && pending.length === 0) {
      // Device only: the person most recently identified on it (R7), or a new anonymous one.
      if (deviceProfile) return deviceProfile;
      const p = this.newProfile(at);
      if (device) this.attach(p, device, eventId);
      return p;
    }
    if (!target) {
      // Only new strong identifiers: they join the device's person if that person holds none of their kinds
      // (R5b, R13); otherwise they are a new person and the device becomes shared.
      if (
        deviceProfile &&
        pending.every((n) => this.canAttach(deviceProfile, n) && deviceProfile.counts[n.type as "email"] === 0)
      ) {
        target = deviceProfile;
      } else {
        target = this.newProfile(at);
      }
      for (const n of pending.splice(0)) this.attach(target, n, eventId);
    }
    if (device) {
      if (!deviceProfile) this.attach(target, device, eventId);
      else if (deviceProfile.id !== target.id) {
        if (anonymous(deviceProfile))
          target = this.merge(target, deviceProfile, eventId); // R13
        else this.attach(target, device, eventId); // R5b: shared, now pointing at the latest person (R7)
      }
    }
    return target;
  }

  /** R10–R12, R15: applies the event to its person and answers the rung right after it (R11). */
  apply(p: ProfileState, e: IncomingEvent, eventId: string, touch: Touch | null): number {
    if (e.source === "web") {
      if (!p.lastWebAt || e.occurredAt.getTime() - p.lastWebAt.getTime() > VISIT_GAP_MS) p.visitCount++;
      p.lastWebAt = maxDate(p.lastWebAt, e.occurredAt);
    }
    if (CUSTOMER_TYPES.has(e.type)) p.customerEvent = true;
    const held = rungsHeld({
      visits: p.visitCount,
      emails: p.counts.email,
      phones: p.counts.phone,
      accounts: p.counts.account,
      customerEvent: p.customerEvent,
    });
    const top = Math.max(...held);
    if (top > p.rung) {
      for (const r of held) if (r > p.rung) p.newRungs.push({ rung: r, reachedAt: e.occurredAt, eventId });
      p.rung = top;
    }
    if (p.rung === 4 && p.customerNumber === null) p.needsCustomerNumber = true;
    if (p.eventCount === 0 && p.isNew) p.firstSeenAt = e.occurredAt;
    p.firstSeenAt = minDate(p.firstSeenAt, e.occurredAt) as Date;
    p.lastSeenAt = maxDate(p.lastSeenAt, e.occurredAt) as Date;
    p.eventCount++;
    if (touch) {
      p.firstTouch = earlier(p.firstTouch, touch);
      p.lastTouch = later(p.lastTouch, touch);
    }
    const name = e.properties.name;
    if (!p.displayName && typeof name === "string" && name.trim()) p.displayName = name.trim().slice(0, 100);
    p.touched = true;
    return p.rung;
  }
}

const minDate = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a <= b ? a : b);
const maxDate = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a >= b ? a : b);
const earlier = (a: Touch | null, b: Touch | null) => (!a ? b : !b ? a : a.occurredAt <= b.occurredAt ? a : b);
const later = (a: Touch | null, b: Touch | null) => (!a ? b : !b ? a : a.occurredAt >= b.occurredAt ? a : b);
