import { decrypt } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { resolveProfileId } from "../identity/resolve-profile-id.ts";
import type { IngestEventInput } from "../ingest/schemas.ts";

/** Identity slots in R5b's priority, with the identifier type each one carries. */
const SLOTS = [
  ["accountId", "account"],
  ["email", "email"],
  ["phone", "phone"],
] as const;

/**
 * A delivery that names a OneThread profile (the checkout this app created for it) attaches to that person
 * through the one resolution path there is: the live profile (merges followed, R6) lends the event its own
 * strongest readable identifier in a slot the delivery left empty (account, then email, then phone). Ingest
 * then resolves as for any event carrying it — the event lands on that profile, and what the payer typed at
 * checkout (another email, the Stripe customer id) joins them or is refused under R5 as usual. A reference that
 * is no profile of this workspace, or one known only by a device (devices have no readable value), lends
 * nothing. Events left with no identifier at all are dropped (nobody to attach them to).
 */
export async function anchorToProfile(
  db: Db,
  workspaceId: string,
  profileRef: string | undefined,
  events: IngestEventInput[],
): Promise<IngestEventInput[]> {
  const live = profileRef ? await resolveProfileId(db, workspaceId, profileRef) : null;
  const held = live
    ? await db.identifier.findMany({
        where: { workspaceId, profileId: live, type: { in: ["account", "email", "phone"] }, valueEnc: { not: null } },
        orderBy: { createdAt: "asc" },
        select: { type: true, valueEnc: true },
      })
    : [];
  return events.flatMap((event) => {
    const identity: Record<string, unknown> = { ...(event.identity as Record<string, unknown>) };
    for (const [slot, type] of SLOTS) {
      const own = held.find((i) => i.type === type);
      if (!own?.valueEnc || typeof identity[slot] === "string") continue;
      identity[slot] = decrypt(own.valueEnc);
      break;
    }
    const some = Object.values(identity).some((v) => typeof v === "string" && v.trim());
    return some ? [{ ...event, identity } as IngestEventInput] : [];
  });
}
