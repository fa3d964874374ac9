import type { Tx } from "../db/client.ts";
import { notFound } from "../errors.ts";
import { type Blocklist, createBlocklist } from "../identity/blocklist.ts";
import type { IdentityContext } from "../identity/prepare-identity.ts";
import { processShared } from "../process-shared.ts";

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
const cache = processShared("ingestWorkspaces", () => new Map<string, { at: number; ws: Required<IngestWorkspace> }>());

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

const contexts = new WeakMap<IngestWorkspace, IdentityContext>();

/**
 * Normalisation, blocklist and hashing settings of a workspace (R1–R3), with a memo of prepared values shared
 * by every batch while these settings are cached: a device or email seen in the last seconds is not parsed
 * and hashed again (libphonenumber and HMAC were a tenth of the ingest CPU). A settings change loads a new
 * workspace object, hence a new memo.
 */
export function identityContext(ws: IngestWorkspace): IdentityContext {
  let ctx = contexts.get(ws);
  if (!ctx) {
    const blocklist: Blocklist = createBlocklist(ws.blockedValues, ws.defaultCountry);
    ctx = { hashSalt: ws.hashSalt, defaultCountry: ws.defaultCountry, blocklist, memo: new Map() };
    contexts.set(ws, ctx);
  }
  return ctx;
}
