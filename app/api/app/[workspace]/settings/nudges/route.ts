import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { getNudgeSettings, nudgeSettingsInput, updateNudgeSettings } from "@/lib/nudges/nudge-settings.ts";

/** Settings → Nudges: which rules are on, the pricing path, the webhook and email deliveries (decision 020). */
export const GET = withWorkspace({}, async ({ workspace, db }) =>
  Response.json(await getNudgeSettings(db, workspace.id)),
);

export const PATCH = withWorkspace(
  { body: nudgeSettingsInput, ownerOnly: true, maxBytes: 8192 },
  async ({ body, workspace, db }) => Response.json(await updateNudgeSettings(db, workspace.id, body)),
);

export const { POST, PUT, DELETE } = methodsOtherThan("GET", "PATCH");
