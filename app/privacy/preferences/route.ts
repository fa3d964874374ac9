import { getDb } from "@/lib/db/client.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { KiB, readBody } from "@/lib/http/read-body.ts";
import { assertSameOrigin } from "@/lib/http/same-origin.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { hit } from "@/lib/limits/rate-limit.ts";
import { entryPage } from "@/lib/privacy/preferences/entry-page.ts";
import { canonicalRedirect, preferencesGet, preferencesOpen } from "@/lib/privacy/preferences/entry-requests.ts";

export const dynamic = "force-dynamic";

/** 60 requests per client per minute: far above a person's, far below a script's. */
const limited = (req: Request) => hit(`pp:${clientKey(req.headers)}`, 60);

/** The customer's privacy page (P9, public): `?w={slug}` asks for an email, `?t={token}` opens their page. */
export async function GET(req: Request) {
  const retryAfter = limited(req);
  if (retryAfter !== null) return entryPage({ kind: "limited" }, retryAfter);
  const url = new URL(req.url);
  return canonicalRedirect(url, req.headers) ?? preferencesGet(getDb(), url, req.headers.get("cookie"));
}

/** The "Open my privacy page" button (`t=…`, form-encoded): uses up a one-time link and opens the page. */
export async function POST(req: Request) {
  const retryAfter = limited(req);
  if (retryAfter !== null) return entryPage({ kind: "limited" }, retryAfter);
  try {
    assertSameOrigin(req);
  } catch {
    return entryPage({ kind: "forged" });
  }
  const raw = await readBody(req, 4 * KiB).catch(() => null);
  const token = raw === null ? null : new URLSearchParams(raw).get("t");
  if (!token) return entryPage({ kind: "forged" });
  return preferencesOpen(getDb(), token);
}

export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");
