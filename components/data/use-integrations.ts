"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json.ts";

/** Settings → Integrations over the owner app's JSON routes: one hook per resource, stable keys. */
export interface IntegrationRow {
  provider: string;
  connected: boolean;
  /** Null for Meta and Google, which we only send to. */
  webhookUrl: string | null;
  lastDeliveryAt: string | null;
  lastError: string | null;
  connectedAt: string;
  secretRotatedAt: string;
}

export interface DeliveryRow {
  id: string;
  provider: string;
  externalId: string;
  receivedAt: string;
  scheme: string;
  verified: boolean;
  outcome: "received" | "processed" | "ignored" | "failed";
  error: string | null;
  summary: string | null;
  eventCount: number;
  attempts: number;
}

const integrationsKey = (slug: string) => ["workspace", slug, "integrations"] as const;
const deliveriesKey = (slug: string, provider: string | null) =>
  ["workspace", slug, "integrations", "deliveries", provider ?? "all"] as const;

export function useIntegrations(slug: string) {
  return useQuery({
    queryKey: integrationsKey(slug),
    queryFn: () =>
      fetchJson<{ integrations: IntegrationRow[] }>(`/api/app/${slug}/integrations`).then((r) => r.integrations),
  });
}

export function useDeliveries(slug: string, provider: string | null) {
  return useQuery({
    queryKey: deliveriesKey(slug, provider),
    queryFn: () =>
      fetchJson<{ deliveries: DeliveryRow[]; nextCursor: string | null }>(
        `/api/app/${slug}/integrations/deliveries?limit=100${provider ? `&provider=${encodeURIComponent(provider)}` : ""}`,
      ),
  });
}

const path = (slug: string, provider: string) => `/api/app/${slug}/integrations/${encodeURIComponent(provider)}`;

/**
 * Connect a source, or rotate its secret by connecting it again: the answer holds a generated secret once. A
 * provider with credentials (Stripe) passes them as the body; they are never answered.
 */
export function useConnectIntegration(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: string | { provider: string; body: Record<string, string> }) => {
      const { provider, body } = typeof input === "string" ? { provider: input, body: {} } : input;
      return fetchJson<{ provider: string; connected: true; webhookUrl: string; secret?: string }>(
        path(slug, provider),
        { method: "PUT", body },
      );
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationsKey(slug) }),
  });
}

export function useDisconnectIntegration(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (provider: string) => fetchJson(path(slug, provider), { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationsKey(slug) }),
  });
}

export function useSendTestDelivery(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (provider: string) =>
      fetchJson<{ status: number; answer: unknown }>(`${path(slug, provider)}/test`, { method: "POST" }),
    // The list's "last delivery" and the log both change.
    onSettled: () => qc.invalidateQueries({ queryKey: integrationsKey(slug) }),
  });
}

/** What the conversion send-back did per network (GET /api/app/{ws}/integrations/send-back). */
export interface SendBackRow {
  destination: "meta" | "google";
  label: string;
  connected: boolean;
  counts: { pending: number; delivered: number; failed: number; cancelled: number };
  lastSentAt: string | null;
  failures: {
    id: string;
    profileId: string | null;
    person: string | null;
    conversion: string;
    error: string;
    attempts: number;
    at: string | null;
  }[];
}

export function useSendBackStatus(slug: string) {
  return useQuery({
    queryKey: [...integrationsKey(slug), "send-back"] as const,
    queryFn: () =>
      fetchJson<{ destinations: SendBackRow[] }>(`/api/app/${slug}/integrations/send-back`).then((r) => r.destinations),
  });
}
