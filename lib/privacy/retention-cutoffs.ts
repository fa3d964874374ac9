/** `months` calendar months before `now` (UTC), the day clamped to the month's length: 31 March − 1 = 28/29 Feb. */
export function monthsBefore(now: Date, months: number): Date {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - months;
  const target = new Date(Date.UTC(y, m, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  target.setUTCHours(now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds());
  return target;
}

export interface RetentionCutoffs {
  /** Events before this go (P14): `retentionMonths` before now. */
  events: Date;
  /**
   * Events of paying customers (rung 4 now) before this go: `customerRetentionMonths` before now when set, never
   * sooner than everyone else's (a shorter customer setting would not be "longer for paying customers").
   */
  customers: Date;
}

export function retentionCutoffs(
  ws: { retentionMonths: number; customerRetentionMonths: number | null },
  now: Date,
): RetentionCutoffs {
  const events = monthsBefore(now, ws.retentionMonths);
  const customers =
    ws.customerRetentionMonths === null
      ? events
      : monthsBefore(now, Math.max(ws.customerRetentionMonths, ws.retentionMonths));
  return { events, customers };
}
