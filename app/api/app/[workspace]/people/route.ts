import { methodsOtherThan } from "@/lib/http/method-not-allowed.ts";
import { withWorkspace } from "@/lib/http/with-session.ts";
import { listPeople } from "@/lib/people/list-people.ts";
import { peopleQuerySchema, toPeopleQuery } from "@/lib/people/people-query.ts";

/** The customers list for the logged-in member: names and full contacts, search, rung, sort, keyset pages. */
export const GET = withWorkspace({ query: peopleQuerySchema }, async ({ query, workspace, db }) =>
  Response.json(await listPeople(db, workspace, toPeopleQuery(query))),
);

export const { POST, PUT, PATCH, DELETE } = methodsOtherThan("GET");
