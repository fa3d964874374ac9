/**
 * One value per process, whichever copy of a module asks for it. Next bundles the routes apart from
 * instrumentation.ts, and `npm start`'s collect listener (scripts/serve.ts) loads the same code once more
 * outside Next: pools, caches and the drainer must still be one, or a change cleared in one copy would stay
 * stale in another.
 */
export function processShared<T>(name: string, init: () => T): T {
  const g = globalThis as unknown as { __onethreadShared?: Record<string, unknown> };
  g.__onethreadShared ??= {};
  if (!(name in g.__onethreadShared)) g.__onethreadShared[name] = init();
  return g.__onethreadShared[name] as T;
}
