import { decryptOrNull } from "../crypto/keys.ts";
import type { Db } from "../db/client.ts";
import { DESTINATIONS, type Destination } from "./conversion-kinds.ts";
import { DESTINATION_LABEL } from "./record-outcomes.ts";

/**
 * For GET /api/v1/integrations: each network's latest send (`lastDeliveryAt`), and the error of its latest
 * ended row when that one failed (`lastError`). Two indexed look-ups per network.
 */
export async function lastSendBacks(db: Db, workspaceId: string, destinations: readonly string[]) {
  const out = new Map<string, { lastDeliveryAt: string | null; lastError: string | null }>();
  await Promise.all(
    destinations.map(async (destination) => {
      const [sent, ended] = await Promise.all([
        db.outbox.findFirst({
          where: { workspaceId, destination, status: "delivered" },
          orderBy: { finishedAt: "desc" },
          select: { deliveredAt: true },
        }),
        db.outbox.findFirst({
          where: { workspaceId, destination, status: { in: ["delivered", "failed"] } },
          orderBy: { finishedAt: "desc" },
          select: { status: true, lastError: true },
        }),
      ]);
      out.set(destination, {
        lastDeliveryAt: sent?.deliveredAt?.toISOString() ?? null,
        lastError: ended?.status === "failed" ? (ended.lastError ?? "failed") : null,
      });
    }),
  );
  return out;
}

export interface SendBackFailure {
  id: string;
  profileId: string | null;
  person: string | null;
  conversion: string;
  error: string;
  attempts: number;
  at: string | null;
}

export interface SendBackDestinationStatus {
  destination: Destination;
  label: string;
  connected: boolean;
  counts: { pending: number; delivered: number; failed: number; cancelled: number };
  lastSentAt: string | null;
  /** The latest final failures, newest first (at most 20). */
  failures: SendBackFailure[];
}

/** Settings → Integrations: what the send-back outbox did per network. */
export async function sendBackStatus(db: Db, workspaceId: string): Promise<SendBackDestinationStatus[]> {
  const [endpoints, counts] = await Promise.all([
    db.webhookEndpoint.findMany({
      where: { workspaceId, provider: { in: [...DESTINATIONS] }, name: "default" },
      select: { provider: true },
    }),
    db.outbox.groupBy({
      by: ["destination", "status"],
      where: { workspaceId, destination: { in: [...DESTINATIONS] } },
      _count: { _all: true },
    }),
  ]);
  const connected = new Set(endpoints.map((e) => e.provider));
  return Promise.all(
    DESTINATIONS.map(async (destination) => {
      const [sent, failed] = await Promise.all([
        db.outbox.findFirst({
          where: { workspaceId, destination, status: "delivered" },
          orderBy: { finishedAt: "desc" },
          select: { deliveredAt: true },
        }),
        db.outbox.findMany({
          where: { workspaceId, destination, status: "failed" },
          orderBy: { finishedAt: "desc" },
          take: 20,
          select: { id: true, profileId: true, kind: true, lastError: true, attempts: true, finishedAt: true },
        }),
      ]);
      const names = await db.profile.findMany({
        where: { workspaceId, id: { in: failed.flatMap((f) => (f.profileId ? [f.profileId] : [])) } },
        select: { id: true, displayName: true, nameEnc: true, emailEnc: true, phoneEnc: true },
      });
      // The owner is the data controller: their own settings page names the person as the people list does
      // (name, else email, else phone), not the masked display name kept for logs.
      const nameOf = new Map(
        names.map((n) => [
          n.id,
          decryptOrNull(n.nameEnc) ?? decryptOrNull(n.emailEnc) ?? decryptOrNull(n.phoneEnc) ?? n.displayName,
        ]),
      );
      const count = (status: string) =>
        counts.find((c) => c.destination === destination && c.status === status)?._count._all ?? 0;
      return {
        destination,
        label: DESTINATION_LABEL[destination],
        connected: connected.has(destination),
        counts: {
          pending: count("pending"),
          delivered: count("delivered"),
          failed: count("failed"),
          cancelled: count("cancelled"),
        },
        lastSentAt: sent?.deliveredAt?.toISOString() ?? null,
        failures: failed.map((f) => ({
          id: f.id,
          profileId: f.profileId,
          person: f.profileId ? (nameOf.get(f.profileId) ?? null) : null,
          conversion: f.kind,
          error: f.lastError ?? "failed",
          attempts: f.attempts,
          at: f.finishedAt?.toISOString() ?? null,
        })),
      };
    }),
  );
}
