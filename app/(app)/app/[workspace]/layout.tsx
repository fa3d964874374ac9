import type { ReactNode } from "react";
import { Sidebar } from "@/components/layout/sidebar.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";

// The owner app lives at /app/<workspace-slug>/…: the slug names the tenant in every URL, and every page
// and API route checks the session's membership of it (another tenant's slug is a 404).
export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspace: string }>;
}) {
  const { workspace: slug } = await params;
  const { user, workspace } = await requireMember(slug);
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <Sidebar slug={workspace.slug} name={workspace.name} email={user.email} />
      <main className="min-w-0 flex-1 px-4 py-6 md:px-8 md:py-8">{children}</main>
    </div>
  );
}
