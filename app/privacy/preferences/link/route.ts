import { getDb } from "@/lib/db/client.ts";
import { afterResponse } from "@/lib/http/after-response.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { KiB, readBody } from "@/lib/http/read-body.ts";
import { assertSameOrigin } from "@/lib/http/same-origin.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { entryPage } from "@/lib/privacy/preferences/entry-page.ts";
import { preferencesLinkPost } from "@/lib/privacy/preferences/entry-requests.ts";

export const dynamic = "force-dynamic";

const sendLater = (work: () => Promise<unknown>) =>
  afterResponse(() => work().catch((error) => console.error("Sending a privacy link failed", error)));

/** Asks for a one-time link (form-encoded; lib/privacy/preferences/entry-requests.ts says what it answers). */
export async function POST(req: Request) {
  try {
    assertSameOrigin(req);
  } catch {
    return entryPage({ kind: "forged" });
  }
  const raw = await readBody(req, 4 * KiB).catch(() => null);
  if (raw === null) return entryPage({ kind: "forged" });
  return preferencesLinkPost(getDb(), raw, req.headers.get("cookie"), clientKey(req.headers), sendLater);
}

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
