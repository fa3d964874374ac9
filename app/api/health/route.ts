import { getDb } from "@/lib/db/client.ts";
import { databaseHealth } from "@/lib/db/health.ts";
import { errorBody } from "@/lib/http/error-response.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";

export const dynamic = "force-dynamic";

export async function GET() {
  let health: { ok: boolean; reason?: string };
  try {
    health = await databaseHealth(getDb());
  } catch {
    health = { ok: false, reason: "database not configured" };
  }
  if (health.ok) return Response.json({ ok: true });
  return Response.json(
    { ok: false, ...errorBody("service_unavailable", `The database is not ready: ${health.reason}.`) },
    { status: 503 },
  );
}

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
