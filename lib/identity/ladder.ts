/** R10: the five rungs. */
export const RUNG = { device: 0, returning: 1, email: 2, phone: 3, customer: 4 } as const;

/** Event types that make a person a customer (rung 4), besides an account id arriving. */
export const CUSTOMER_TYPES = new Set([
  "payment_succeeded",
  "checkout_completed",
  "booking_created",
  "account_created",
]);

/** A web visit ends after 30 minutes without a web event. */
export const VISIT_GAP_MS = 30 * 60_000;

export interface LadderFacts {
  visits: number;
  emails: number;
  phones: number;
  accounts: number;
  customerEvent: boolean;
}

/** Every rung whose condition holds (R10); the profile's rung is the highest it ever reached. */
export function rungsHeld(f: LadderFacts): number[] {
  const held: number[] = [RUNG.device];
  if (f.visits >= 2) held.push(RUNG.returning);
  if (f.emails > 0) held.push(RUNG.email);
  if (f.phones > 0) held.push(RUNG.phone);
  if (f.accounts > 0 || f.customerEvent) held.push(RUNG.customer);
  return held;
}
