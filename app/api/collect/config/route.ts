import { jsonAnswer } from "@/lib/http/answer.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { corsPreflight, withSiteKey } from "@/lib/http/with-site-key.ts";
import { loadWorkspaceForIngest } from "@/lib/ingest/load-workspace.ts";
import { consentFor, countryOf } from "@/lib/privacy/consent-region.ts";

/** What the tracker needs before it stores anything: must it ask for consent here, and is DNT honoured. */
export const GET = withSiteKey({}, async ({ headers, workspaceId, db }) => {
  const ws = await loadWorkspaceForIngest(db, workspaceId);
  const country = countryOf(headers);
  return jsonAnswer(
    200,
    { consent: consentFor(country), dnt: ws.honorDoNotTrack, country },
    { "Cache-Control": "private, no-store", Vary: "x-vercel-ip-country, cf-ipcountry" },
  );
});

export const OPTIONS = corsPreflight;
export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
