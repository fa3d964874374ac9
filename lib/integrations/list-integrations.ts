import type { Db } from "../db/client.ts";
import { lastSendBacks } from "../sendback/send-back-status.ts";
import { moduleOf } from "./providers.ts";
import { webhookUrl } from "./webhook-url.ts";

const keyOf = (provider: string, name: string) => (provider === "inbound" ? `inbound:${name}` : provider);

/**
 * GET /api/v1/integrations: each connected integration with its webhook URL and its latest delivery (when,
 * and that delivery's error if it failed). Secrets never leave the database here.
 */
export async function listIntegrations(db: Db, workspaceId: string) {
  const endpoints = await db.webhookEndpoint.findMany({
    where: { workspaceId },
    select: { provider: true, name: true, createdAt: true, updatedAt: true },
    orderBy: [{ provider: "asc" }, { name: "asc" }],
  });
  // One indexed look-up per integration (workspaceId, provider, receivedAt): a workspace has a handful.
  const latest = await Promise.all(
    endpoints.map((e) =>
      db.webhookReceipt.findFirst({
        where: { workspaceId, provider: keyOf(e.provider, e.name) },
        orderBy: { receivedAt: "desc" },
        select: { provider: true, receivedAt: true, outcome: true, error: true },
      }),
    ),
  );
  const byKey = new Map(latest.flatMap((r) => (r ? [[r.provider, r] as const] : [])));
  // Meta and Google receive from us: their "last delivery" is the outbox's latest send (decision 021).
  const sent = await lastSendBacks(
    db,
    workspaceId,
    endpoints.filter((e) => moduleOf(e.provider)?.outbound).map((e) => e.provider),
  );
  return endpoints.map((e) => {
    const key = keyOf(e.provider, e.name);
    const last = byKey.get(key);
    const outbound = sent.get(e.provider);
    return {
      provider: key,
      connected: true,
      webhookUrl: moduleOf(e.provider)?.outbound ? null : webhookUrl(workspaceId, e.provider, e.name),
      lastDeliveryAt: outbound ? outbound.lastDeliveryAt : (last?.receivedAt.toISOString() ?? null),
      lastError: outbound ? outbound.lastError : last?.outcome === "failed" ? (last.error ?? "failed") : null,
      connectedAt: e.createdAt.toISOString(),
      secretRotatedAt: e.updatedAt.toISOString(),
    };
  });
}
