import type { Tx } from "../db/client.ts";

export type Role = "owner" | "member";

/** A workspace as its member sees it: its settings and the member's role. */
export interface MemberWorkspace {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  defaultCountry: string;
  region: "eu" | "us";
  retentionMonths: number;
  businessType: string | null;
  role: Role;
}

/**
 * The workspace of `slug` if `userId` is a member of it, else null: another tenant's workspace and a missing
 * one look the same (STYLE.md 6). Owner pages and the owner API both ask here.
 */
export async function findMembership(db: Tx, userId: string, slug: string): Promise<MemberWorkspace | null> {
  if (!slug || slug.length > 100) return null;
  const membership = await db.membership.findFirst({
    where: { userId, workspace: { slug } },
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
          businessType: true,
        },
      },
    },
  });
  return membership ? { ...membership.workspace, role: membership.role } : null;
}
