import { getDb } from "@/lib/db/client.ts";
import { afterResponse } from "@/lib/http/after-response.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { KiB, readBody } from "@/lib/http/read-body.ts";
import { assertSameOrigin } from "@/lib/http/same-origin.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { entryPage } from "@/lib/privacy/preferences/entry-page.ts";
import { linkFormProblem } from "@/lib/privacy/preferences/entry-requests.ts";
import {
  emailLinkForSession,
  requestLinkForm,
  requestPreferencesLink,
} from "@/lib/privacy/preferences/request-link.ts";
import { readSession, SESSION_PATH, sessionCookieOf } from "@/lib/privacy/preferences/session.ts";

export const dynamic = "force-dynamic";

const sendLater = (work: () => Promise<unknown>) =>
  afterResponse(() => work().catch((error) => console.error("Sending a privacy link failed", error)));

/**
 * Asks for a one-time link (form-encoded): `w` and `email` from the `?w=` form → the same neutral answer
 * whether or not the address is known (303 to `?w=…&sent=1`); or, from a footer link's page (its cookie),
 * `resend=1` → a link to the address the person's mail goes to.
 */
export async function POST(req: Request) {
  try {
    assertSameOrigin(req);
  } catch {
    return entryPage({ kind: "forged" });
  }
  const raw = await readBody(req, 4 * KiB).catch(() => null);
  if (raw === null) return entryPage({ kind: "forged" });
  const form = new URLSearchParams(raw);
  const db = getDb();
  const client = clientKey(req.headers);
  if (form.get("resend") === "1") {
    const session = await readSession(db, sessionCookieOf(req.headers.get("cookie")));
    if (!session) return entryPage({ kind: "ended" });
    try {
      const { sentTo } = await emailLinkForSession(db, session, client, sendLater);
      return entryPage({ kind: "emailed", business: session.workspace.name, sentTo });
    } catch (error) {
      return linkFormProblem(db, error, session.workspace.slug, "");
    }
  }
  const input = { w: form.get("w") ?? "", email: form.get("email") ?? "" };
  try {
    const { workspace } = await requestPreferencesLink(db, requestLinkForm.parse(input), client, sendLater);
    return new Response(null, {
      status: 303,
      headers: {
        Location: `${SESSION_PATH}?w=${encodeURIComponent(workspace.slug)}&sent=1`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return linkFormProblem(db, error, input.w, input.email.slice(0, 320));
  }
}

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
