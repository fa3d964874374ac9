import { z } from "zod";
import { getDb } from "@/lib/db/client.ts";
import { toErrorResponse } from "@/lib/http/error-response.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { parseJson, readBody } from "@/lib/http/read-body.ts";
import { clientKey } from "@/lib/limits/client-address.ts";
import { rateLimit } from "@/lib/limits/rate-limit.ts";
import { createWorkspace, createWorkspaceInput } from "@/lib/workspaces/create-workspace.ts";

const signupInput = createWorkspaceInput
  .pick({ name: true, ownerEmail: true, ownerName: true, timezone: true, defaultCountry: true, region: true })
  .extend({
    password: z.string().min(8, "must be at least 8 characters").max(200),
  });

/** Public sign-up: a new owner and their workspace. The browser then logs in with the same password. */
export async function POST(req: Request) {
  try {
    // Per client: one global bucket let 60 bad sign-ups from anyone block every sign-up.
    rateLimit(`signup:${clientKey(req.headers)}`, 60);
    const input = signupInput.parse(parseJson(await readBody(req, 8 * 1024)));
    const created = await createWorkspace(getDb(), input);
    return Response.json({ slug: created.slug, workspaceId: created.workspaceId }, { status: 201 });
  } catch (error) {
    return toErrorResponse(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
