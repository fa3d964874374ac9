import { errorBody } from "./error-response.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Handlers for the methods a route does not serve: 405 `method_not_allowed` in the error envelope with `Allow`
 * (Next's own answer is an empty body). A route exports the ones it lacks:
 * `export const { PUT, PATCH, DELETE } = methodsOtherThan("GET", "POST");` — tests/integration/route-methods
 * checks that every route answers all five.
 */
export function methodsOtherThan(...allowed: Method[]): Record<Method, () => Response> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse = () =>
    Response.json(errorBody("method_not_allowed", `This endpoint answers ${allowed.join(" and ")} only.`), {
      status: 405,
      headers: { Allow: allow },
    });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse };
}
