import "server-only";
import { notFound, redirect } from "next/navigation";
import { getDb } from "../db/client.ts";
import { findMembership } from "../workspaces/find-membership.ts";
import { getSessionUser } from "./session.ts";

/**
 * For owner pages: the logged-in user and the workspace of the URL's slug, if they are a member.
 * A stranger is sent to /login; a non-member gets a 404 (another tenant's workspace does not exist for them).
 */
export async function requireMember(slug: string) {
  const user = await getSessionUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(`/app/${slug}`)}`);
  const workspace = await findMembership(getDb(), user.id, slug);
  if (!workspace) notFound();
  return { user, role: workspace.role, workspace };
}
