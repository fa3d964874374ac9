import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withPreferencesSession } from "@/lib/http/with-preferences-session.ts";
import { deleteBody, deleteOwnData } from "@/lib/privacy/preferences/own-data.ts";
import { clearedSessionCookie } from "@/lib/privacy/preferences/session.ts";

export const dynamic = "force-dynamic";

/** Delete everything (`{"confirm": "delete"}`, after the page's confirmation): erasure (R17, P11), logged. */
export const POST = withPreferencesSession({ body: deleteBody }, async ({ db, session }) =>
  Response.json(await deleteOwnData(db, session), {
    headers: { "Cache-Control": "no-store", "Set-Cookie": clearedSessionCookie() },
  }),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
