import { notFound } from "@/lib/errors.ts";
import { withCron } from "@/lib/http/handlers.ts";
import { findJob, runJob } from "@/lib/jobs/registry.ts";

export const dynamic = "force-dynamic";

/** Vercel cron calls GET /api/cron/<job> with the cron secret; the job runs at most once per period. */
export const GET = withCron(async ({ req, db }) => {
  const id = new URL(req.url).pathname.split("/").pop() ?? "";
  if (!findJob(id)) throw notFound(`No scheduled job named "${id}".`);
  return Response.json(await runJob(db, id));
});
