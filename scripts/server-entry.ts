// `npm start`'s server, scripts/serve.ts, as `npm run build` bundles it (scripts/build-server.ts): plain
// JavaScript that node runs without tsx. Run through tsx, the server carried tsx's module hooks, which Node
// runs in a worker thread with a V8 heap of its own: 35–60 MiB of the server's resident memory before any
// request (decision 023).
import path from "node:path";

export const SERVER_ENTRY = path.join(".next", "onethread-serve.mjs");

/**
 * glibc's allocator for the server process, read once at its start (so every spawner of SERVER_ENTRY passes
 * it; values already in the environment win). glibc raises its mmap threshold each time a mapped block is
 * freed, up to 32 MiB: after the first large buffers (a drain pass's claimed rows, a batch's parameters and
 * results) every later one came from the heap arenas, whose freed space stays resident. A fixed 64 KiB
 * threshold maps them and gives them back on free; two arenas instead of eight per core keep the libuv and
 * V8 worker threads from each holding their own. RSS after the ingest loads: 330–374 → 294–305 MiB, at the
 * same throughput (decision 024).
 */
export const SERVER_MALLOC_ENV: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: "65536", MALLOC_ARENA_MAX: "2" };
