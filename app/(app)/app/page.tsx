import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session.ts";
import { getDb } from "@/lib/db/client.ts";

/** `/app`: the user's first workspace. Owner pages live at /app/<workspace-slug>/… */
export default async function AppIndex() {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const membership = await getDb().membership.findFirst({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { workspace: { select: { slug: true } } },
  });
  if (membership) redirect(`/app/${membership.workspace.slug}`);
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="text-xl font-semibold">You are not in a workspace yet</h1>
      <p className="mt-2 text-slate-600">
        Ask an owner to invite {user.email}, or create a workspace of your own from the sign-up page with another email.
      </p>
    </main>
  );
}
