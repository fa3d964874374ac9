import type { Metadata } from "next";
import { Members } from "@/components/settings/members.tsx";
import { Card } from "@/components/ui/card.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace, role } = await requireMember((await params).workspace);
  return (
    <div className="max-w-3xl space-y-6">
      <h1 className="text-2xl font-semibold">Members</h1>
      <Card
        title="People who can see this workspace"
        description="Owners can change settings, keys and members; members can see customers."
      >
        <Members slug={workspace.slug} canInvite={role === "owner"} />
      </Card>
    </div>
  );
}
