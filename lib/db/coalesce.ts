/** The most calls one run carries. */
const MAX_ITEMS = 200;
/**
 * Runs in flight at once per key: a call arriving while one run is out starts its own instead of waiting a
 * round trip for it; only under more load than that do calls wait and go together.
 */
const LANES = 2;

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for one small statement every request makes (a webhook receipt kept, its outcome written):
 * calls on the same key (the database handle) that arrive while LANES runs are in flight wait and go together
 * in the next run, one statement for all of them. Alone, a call runs at once, as it would without this. `run`
 * answers one result per item, in order; if it fails, every call of that run fails with its error.
 */
export function coalesced<K extends object, T, R>(run: (key: K, items: T[]) => Promise<R[]>) {
  const queues = new WeakMap<K, { waiting: Pending<T, R>[]; busy: number }>();
  const drain = async (key: K, q: { waiting: Pending<T, R>[]; busy: number }) => {
    q.busy++;
    try {
      while (q.waiting.length) {
        const batch = q.waiting.splice(0, MAX_ITEMS);
        try {
          const results = await run(
            key,
            batch.map((p) => p.item),
          );
          batch.forEach((p, i) => {
            p.resolve(results[i] as R);
          });
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      q.busy--;
    }
  };
  return (key: K, item: T): Promise<R> => {
    let q = queues.get(key);
    if (!q) {
      q = { waiting: [], busy: 0 };
      queues.set(key, q);
    }
    const queue = q;
    return new Promise<R>((resolve, reject) => {
      queue.waiting.push({ item, resolve, reject });
      if (queue.busy < LANES) void drain(key, queue);
    });
  };
}
