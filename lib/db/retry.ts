/**
 * The SQLSTATE of a database error, whether it came straight from pg or through Prisma's driver adapter
 * (P2034 is Prisma's own name for a serialisation failure).
 */
export function pgCode(error: unknown): string | undefined {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  if (typeof e?.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code; // pg's SQLSTATE
  return e?.meta?.driverAdapterError?.cause?.originalCode ?? (e?.code === "P2034" ? "40001" : undefined);
}

/** A deadlock broken by the database (40P01) or a serialisation failure (40001): running again is the answer. */
export const TRANSIENT = new Set(["40P01", "40001"]);

/**
 * Thrown inside a transaction when what it locked is no longer what it read (a profile merged away while it
 * waited for the lock): rolling back releases every lock taken, and the transaction runs again from the start.
 */
export class TryAgain extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TryAgain";
  }
}

export interface RetryOptions {
  /** Runs at most this many times. */
  attempts?: number;
  /** SQLSTATEs that make a run worth repeating (default: deadlock and serialisation failure). */
  codes?: ReadonlySet<string>;
  /** Other errors worth a new run. */
  also?: (error: unknown) => boolean;
}

/**
 * Runs a whole transaction (`fn`) again, a bounded number of times with a short random pause, when the
 * database broke a deadlock or a serialisation conflict, or the transaction asked for it (`TryAgain`).
 * Lock order keeps such conflicts rare; this makes the rare one invisible to the caller.
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 5, codes = TRANSIENT, also } = options;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      const code = pgCode(error);
      const retry = error instanceof TryAgain || (code !== undefined && codes.has(code)) || (also?.(error) ?? false);
      if (!retry || i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}
