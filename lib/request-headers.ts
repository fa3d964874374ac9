/**
 * What the product reads of a request's headers: one header by (case-insensitive) name. A web `Headers`
 * is one; so is the thin view `npm start`'s listener builds over node:http's own header object, so the
 * tracker's endpoint need not copy every header into a `Headers` per request (decision 023).
 */
export interface RequestHeaders {
  get(name: string): string | null;
}
