import { z } from "zod";
import { latestWeek } from "./summary-week.ts";

/** `?week=YYYY-Www` (checked by summaryWeek, which answers 400 naming `week`); left out: the latest week sent. */
export const summaryQuery = z.object({ week: z.string().max(16).optional() });

export const weekOrLatest = (week: string | undefined, timezone: string, now = new Date()) =>
  week ?? latestWeek(now, timezone);
