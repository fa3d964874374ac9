import { idempotencyKeySchema, sendEmailSchema } from "@/lib/emails/schemas.ts";
import { sendEmail } from "@/lib/emails/send-email.ts";
import { badRequest } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withApiKey } from "@/lib/http/with-api-key.ts";

/**
 * A tracked email to a person through the workspace's Resend (API.md): `201 {"id", "providerId"}`; refused with
 * nothing sent 409 `opted_out` / `integration_missing`, 422 `no_email`; Resend's error or timeout 502. The
 * same `Idempotency-Key` again answers the same send.
 */
export const POST = withApiKey(
  { scope: "emails:write", body: sendEmailSchema, maxBytes: 640 * 1024 },
  async ({ req, body, workspaceId, db }) => {
    const header = req.headers.get("idempotency-key");
    const key = header === null ? null : idempotencyKeySchema.safeParse(header);
    if (key && !key.success)
      throw badRequest("The Idempotency-Key header must be 1–255 visible ASCII characters.", [
        { path: "Idempotency-Key", message: key.error.issues[0]?.message ?? "is not valid" },
      ]);
    const sent = await sendEmail(db, workspaceId, body, key?.data ?? null);
    return Response.json(
      { id: sent.id, providerId: sent.providerId },
      {
        status: 201,
        headers: { "Cache-Control": "no-store", ...(sent.replayed ? { "Idempotent-Replayed": "true" } : {}) },
      },
    );
  },
);

export const { GET, PUT, PATCH, DELETE } = methodsOtherThan("POST");
