import type { Metadata } from "next";
import { PeopleList } from "@/components/people/people-list.tsx";
import { requireMember } from "@/lib/auth/require-member.ts";
import { getDb } from "@/lib/db/client.ts";
import { listPeople } from "@/lib/people/list-people.ts";
import { peopleQueryFromSearch } from "@/lib/people/people-query.ts";

export const metadata: Metadata = { title: "Customers" };

export default async function PeoplePage({
  params,
  searchParams,
}: {
  params: Promise<{ workspace: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspace } = await requireMember((await params).workspace);
  const query = peopleQueryFromSearch(await searchParams);
  const result = await listPeople(getDb(), workspace, query);
  return <PeopleList slug={workspace.slug} timeZone={workspace.timezone} query={query} result={result} />;
}
