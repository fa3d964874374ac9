import { z } from "zod";
import { sqlOf } from "@/lib/db/raw-sql.ts";
import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";
import { identityContext, loadWorkspaceForIngest } from "@/lib/ingest/load-workspace.ts";
import { lookupProfile, NO_STORE } from "@/lib/timeline/profile-view.ts";

const value = z.string().min(1).max(320).optional();
const FIELDS = { email: "email", phone: "phone", deviceId: "device", accountId: "account" } as const;
const query = z
  .object({ email: value, phone: value, deviceId: value, accountId: value })
  .refine((q) => Object.values(q).filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of email, phone, deviceId or accountId",
  });

/** "Recognise them instantly": the person holding an identifier, and their last 20 messages (API.md). */
export const GET = withApiKey({ scope: "profiles:read", query }, async ({ query, workspaceId, db }) => {
  const [field, raw] = Object.entries(query).find(([, v]) => v !== undefined) as [keyof typeof FIELDS, string];
  const ws = await loadWorkspaceForIngest(db, workspaceId);
  const found = await lookupProfile(sqlOf(db), workspaceId, identityContext(ws), FIELDS[field], raw);
  if (!found) throw notFound("No profile holds that identifier.");
  return Response.json(found, { headers: NO_STORE });
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
