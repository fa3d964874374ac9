import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withPreferencesSession } from "@/lib/http/with-preferences-session.ts";
import { channelSwitchBody, setPreferenceChannel } from "@/lib/privacy/preferences/channels.ts";

export const dynamic = "force-dynamic";

/** A switch of the person's page: `{"channel", "allowed"}` → opt out of it or back in (via "preferences"). */
export const POST = withPreferencesSession({ body: channelSwitchBody }, async ({ db, session, body }) =>
  Response.json(
    { channels: await setPreferenceChannel(db, session.workspace.id, session.profileId, body) },
    { headers: { "Cache-Control": "no-store" } },
  ),
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
