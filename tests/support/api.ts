import { hashIdentifier } from "../../lib/crypto/keys.ts";
import { type Db, getDb } from "../../lib/db/client.ts";
import { normalizeIdentifier } from "../../lib/identity/normalize-identifier.ts";
import type { IdentifierType } from "../../lib/identity/types.ts";
import { drainIngestLog } from "../../lib/ingest/drain-ingest-log.ts";

type Handler = (req: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  key?: string;
  body?: unknown;
  /** A raw body (sent as is). */
  raw?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  /**
   * `/api/collect` answers once its events are in the ingest log, and they are stored moments later
   * (decision 013). By default a test's collect call also waits for that, as a visitor's next step comes
   * after it; `settle: false` returns at the 202 itself.
   */
  settle?: boolean;
}

/** Calls an exported route handler the way Next does: a Request, and the params as a promise. */
export async function call(handler: Handler, path: string, o: CallOptions = {}) {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.key) headers.authorization = `Bearer ${o.key}`;
  let body: string | undefined = o.raw;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers["content-type"] ??= "application/json";
  }
  const req = new Request(`http://localhost${path}`, {
    method: o.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
  const res = await handler(req, { params: Promise.resolve(o.params ?? {}) });
  if (path.startsWith("/api/collect") && res.status === 202 && o.settle !== false) await drainIngestLog(getDb());
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  // biome-ignore lint/suspicious/noExplicitAny: test convenience
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** The live profile id holding an identifier, or null. */
export async function profileIdOf(
  db: Db,
  ws: { id: string; hashSalt: string; defaultCountry: string },
  type: IdentifierType,
  raw: string,
) {
  const value = normalizeIdentifier(type, raw, ws.defaultCountry);
  if (!value) return null;
  const row = await db.identifier.findUnique({
    where: { workspaceId_type_hash: { workspaceId: ws.id, type, hash: hashIdentifier(ws.hashSalt, type, value) } },
    select: { profileId: true },
  });
  return row?.profileId ?? null;
}

/** Live (not merged-away) profiles of a workspace. */
export const liveProfiles = (db: Db, workspaceId: string) =>
  db.profile.findMany({ where: { workspaceId, mergedIntoId: null }, orderBy: { createdAt: "asc" } });
