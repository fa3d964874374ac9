import { z } from "zod";
import type { Tx } from "../db/client.ts";
import { notFound } from "../errors.ts";
import { forgetSiteKey } from "./api-keys.ts";

/** `https://acme.test` or `http://localhost:8080`: scheme, host and port, nothing else. */
const origin = z
  .string()
  .trim()
  .max(200)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "https:" || u.protocol === "http:") && u.origin === v.replace(/\/$/, "");
    } catch {
      return false;
    }
  }, "must be an origin such as https://www.acme.test (scheme and host, no path)")
  .transform((v) => new URL(v).origin);

export const siteKeyOriginsInput = z.object({ allowedOrigins: z.array(origin).max(20, "at most 20 origins") });

/**
 * The origins whose pages may send events with the workspace's site key. Empty: any page (the key is public
 * either way; the list stops another site from filling the workspace with events under the business's key).
 */
export async function setSiteKeyOrigins(db: Tx, workspaceId: string, raw: z.input<typeof siteKeyOriginsInput>) {
  const { allowedOrigins } = siteKeyOriginsInput.parse(raw);
  const key = await db.siteKey.findFirst({ where: { workspaceId, revokedAt: null }, select: { id: true, key: true } });
  if (!key) throw notFound("This workspace has no active site key.");
  const saved = await db.siteKey.update({
    where: { id: key.id },
    data: { allowedOrigins: [...new Set(allowedOrigins)] },
    select: { key: true, allowedOrigins: true },
  });
  // The collect routes of this process see the new list on their next request (others within seconds).
  forgetSiteKey(saved.key);
  return saved;
}
