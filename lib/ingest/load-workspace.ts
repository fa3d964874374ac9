import type { Tx } from "../db/client.ts";
import { notFound } from "../http/errors.ts";
import { type Blocklist, createBlocklist } from "../identity/blocklist.ts";
import type { IdentityContext } from "../identity/prepare-identity.ts";

/** What ingestion needs to know of a workspace. */
export interface IngestWorkspace {
  id: string;
  hashSalt: string;
  blockedValues: string[];
  defaultCountry: string;
  timezone?: string;
  honorDoNotTrack?: boolean;
}

const TTL_MS = 10_000;
const cache = new Map<string, { at: number; ws: Required<IngestWorkspace> }>();

/** The workspace's ingest settings, cached for a few seconds: they are read on every batch. */
export async function loadWorkspaceForIngest(db: Tx, id: string): Promise<Required<IngestWorkspace>> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.ws;
  const ws = await db.workspace.findUnique({
    where: { id },
    select: {
      id: true,
      hashSalt: true,
      blockedValues: true,
      defaultCountry: true,
      timezone: true,
      honorDoNotTrack: true,
    },
  });
  if (!ws) throw notFound("No such workspace.");
  if (cache.size > 10_000) cache.clear();
  cache.set(id, { at: Date.now(), ws });
  return ws;
}

/** Forget cached settings (after a settings change, and in tests). */
export function forgetWorkspaceForIngest(id?: string) {
  if (id) cache.delete(id);
  else cache.clear();
}

const blocklists = new WeakMap<IngestWorkspace, Blocklist>();

/** Normalisation, blocklist and hashing settings of a workspace (R1–R3). */
export function identityContext(ws: IngestWorkspace): IdentityContext {
  let blocklist = blocklists.get(ws);
  if (!blocklist) {
    blocklist = createBlocklist(ws.blockedValues, ws.defaultCountry);
    blocklists.set(ws, blocklist);
  }
  return { hashSalt: ws.hashSalt, defaultCountry: ws.defaultCountry, blocklist };
}
