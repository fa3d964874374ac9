// `npm start`'s server, scripts/serve.ts, as `npm run build` bundles it (scripts/build-server.ts): plain
// JavaScript that node runs without tsx. Run through tsx, the server carried tsx's module hooks, which Node
// runs in a worker thread with a V8 heap of its own: 35–60 MiB of the server's resident memory before any
// request (decision 023).
import path from "node:path";

export const SERVER_ENTRY = path.join(".next", "onethread-serve.mjs");
