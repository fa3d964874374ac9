import { z } from "zod";
import { withSession } from "@/lib/http/handlers.ts";
import { createApiKey, listApiKeys } from "@/lib/workspaces/api-keys.ts";

export const GET = withSession({}, async ({ workspace, db }) =>
  Response.json({ keys: await listApiKeys(db, workspace!.id) }),
);

const createKeyInput = z.object({ name: z.string().trim().min(1, "is required").max(60) });

/** The full key is in this answer only; afterwards only its prefix can be shown. */
export const POST = withSession(
  { body: createKeyInput, ownerOnly: true, maxBytes: 1024 },
  async ({ body, workspace, user, db }) =>
    Response.json(await createApiKey(db, workspace!.id, body.name, user.id), { status: 201 }),
);
