import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withPreferencesSession } from "@/lib/http/with-preferences-session.ts";
import { downloadOwnData, downloadQuery } from "@/lib/privacy/preferences/own-data.ts";

export const dynamic = "force-dynamic";

/** Download JSON or CSV (`?format=`): everything held about the person (P10), logged as an export request. */
export const GET = withPreferencesSession({ query: downloadQuery }, ({ db, session, query }) =>
  downloadOwnData(db, session, query.format),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
