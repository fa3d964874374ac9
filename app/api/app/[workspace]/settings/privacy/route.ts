import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { getPrivacySettings, privacySettingsInput, updatePrivacySettings } from "@/lib/privacy/privacy-settings.ts";

/** Settings → Privacy: retention (everyone's and paying customers') and Do-Not-Track. */
export const GET = withWorkspace({}, async ({ workspace, db }) =>
  Response.json(await getPrivacySettings(db, workspace.id)),
);

export const PATCH = withWorkspace(
  { body: privacySettingsInput, ownerOnly: true, maxBytes: 4096 },
  async ({ body, workspace, db }) => Response.json(await updatePrivacySettings(db, workspace.id, body)),
);

export const { POST, PUT, DELETE } = methodsOtherThan("GET", "PATCH");
