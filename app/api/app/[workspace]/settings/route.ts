import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { settingsInput, updateSettings } from "@/lib/workspaces/update-settings.ts";

export const PATCH = withWorkspace(
  { body: settingsInput, ownerOnly: true, maxBytes: 4096 },
  async ({ body, workspace, db }) => Response.json(await updateSettings(db, workspace.id, body)),
);

export const { GET, POST, PUT, DELETE } = methodsOtherThan("PATCH");
