import { withSession } from "@/lib/http/handlers.ts";
import { settingsInput, updateSettings } from "@/lib/workspaces/update-settings.ts";

export const PATCH = withSession(
  { body: settingsInput, ownerOnly: true, maxBytes: 4096 },
  async ({ body, workspace, db }) => Response.json(await updateSettings(db, workspace!.id, body)),
);
