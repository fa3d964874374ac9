import { notFound } from "@/lib/errors.ts";
import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withCron } from "@/lib/http/with-cron.ts";
import { findJob, runJob } from "@/lib/jobs/registry.ts";

export const dynamic = "force-dynamic";
/** Vercel's default maximum with Fluid compute on every plan; per-workspace jobs stop taking work a minute before. */
export const maxDuration = 300;

/** Vercel cron calls GET /api/cron/<job> with the cron secret; the job runs at most once per period. */
export const GET = withCron(async ({ params, db }) => {
  const id = params.job ?? "";
  if (!findJob(id)) throw notFound(`No scheduled job named "${id}".`);
  return Response.json(await runJob(db, id));
});

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
