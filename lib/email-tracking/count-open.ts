import type { Db } from "../db/client.ts";
import { clientKey } from "../limits/client-address.ts";
import { hit } from "../limits/rate-limit.ts";
import { recordEmailOpen } from "./record-open.ts";

/**
 * Opens recorded per minute: per client (generous, as a mail provider's image proxy fetches for many readers)
 * and per mail (nobody reads one mail 20 times a minute). Past either, the pixel is still served, unrecorded.
 */
const OPENS_PER_CLIENT = 600;
const OPENS_PER_MAIL = 20;

/** One fetch of the open pixel: recorded within the limits; a failure to record is logged, never thrown. */
export async function countOpen(db: Db, token: string, headers: Headers): Promise<void> {
  if (hit(`o:${clientKey(headers)}`, OPENS_PER_CLIENT) !== null || hit(`o:${token}`, OPENS_PER_MAIL) !== null) return;
  try {
    await recordEmailOpen(db, token);
  } catch (error) {
    console.error("Recording an email open failed", error);
  }
}
