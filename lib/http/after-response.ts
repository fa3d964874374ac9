import { after } from "next/server";

/**
 * Work to finish once the response is sent: `after` keeps a serverless function alive for it. Outside a
 * Next request (a route handler called directly, as the integration tests do) it simply starts now.
 */
export function afterResponse(work: () => Promise<unknown>) {
  try {
    after(work);
  } catch {
    void work().catch((error) => console.error("After the response:", error));
  }
}
