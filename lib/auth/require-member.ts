import "server-only";
import { notFound, redirect } from "next/navigation";
import { getDb } from "../db/client.ts";
import { getSessionUser } from "./session.ts";

/**
 * For owner pages: the logged-in user and the workspace of the URL's slug, if they are a member.
 * A stranger is sent to /login; a non-member gets a 404 (another tenant's workspace does not exist for them).
 */
export async function requireMember(slug: string) {
  const user = await getSessionUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(`/app/${slug}`)}`);
  const membership = await getDb().membership.findFirst({
    where: { userId: user.id, workspace: { slug } },
    select: {
      role: true,
      workspace: {
        select: {
          id: true,
          slug: true,
          name: true,
          timezone: true,
          defaultCountry: true,
          region: true,
          retentionMonths: true,
        },
      },
    },
  });
  if (!membership) notFound();
  return { user, role: membership.role, workspace: membership.workspace };
}
