"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "./fetch-json.ts";

/** TanStack Query hooks for the settings screens: one per resource, over the one fetch helper. */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const keysKey = (slug: string) => ["workspace", slug, "api-keys"] as const;

export function useApiKeys(slug: string) {
  return useQuery({
    queryKey: keysKey(slug),
    queryFn: () => fetchJson<{ keys: ApiKeyRow[] }>(`/api/app/${slug}/keys`).then((r) => r.keys),
  });
}

export function useCreateApiKey(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; scopes: string[] }) =>
      fetchJson<ApiKeyRow & { key: string }>(`/api/app/${slug}/keys`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keysKey(slug) }),
  });
}

export function useRevokeApiKey(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => fetchJson(`/api/app/${slug}/keys/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keysKey(slug) }),
  });
}

export interface MembersData {
  members: { role: "owner" | "member"; createdAt: string; user: { id: string; email: string; name: string | null } }[];
  invitations: { id: string; email: string; role: string; expiresAt: string; createdAt: string }[];
}

const membersKey = (slug: string) => ["workspace", slug, "members"] as const;

export function useMembers(slug: string) {
  return useQuery({ queryKey: membersKey(slug), queryFn: () => fetchJson<MembersData>(`/api/app/${slug}/members`) });
}

export function useInviteMember(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: "owner" | "member" }) =>
      fetchJson(`/api/app/${slug}/members`, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: membersKey(slug) }),
  });
}

export interface WorkspaceSettings {
  name: string;
  timezone: string;
  defaultCountry: string;
  region: "eu" | "us";
  retentionMonths: number;
  /** Picks the starter topics (decision 019); "" = not said. */
  businessType: string;
}

export function useUpdateSettings(slug: string) {
  return useMutation({
    mutationFn: (body: Partial<WorkspaceSettings>) =>
      fetchJson<WorkspaceSettings>(`/api/app/${slug}/settings`, { method: "PATCH", body }),
  });
}

export function useSiteKeyOrigins(slug: string) {
  return useMutation({
    mutationFn: (allowedOrigins: string[]) =>
      fetchJson<{ key: string; allowedOrigins: string[] }>(`/api/app/${slug}/site-key`, {
        method: "PATCH",
        body: { allowedOrigins },
      }),
  });
}
