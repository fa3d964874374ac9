/** The error envelope of API.md, as the browser receives it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
  /** The message for one field (by path), for showing next to its input. */
  field(path: string) {
    return this.details.find((d) => d.path === path)?.message ?? null;
  }
}

/** The one fetch helper of the owner app: JSON in and out, errors as ApiError. */
export async function fetchJson<T>(url: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const res = await fetch(url, {
    method: init?.method ?? "GET",
    headers: init?.body === undefined ? undefined : { "content-type": "application/json" },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const data = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string; details?: [] };
  } | null;
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(
      res.status,
      e?.code ?? "error",
      e?.message ?? `The server answered ${res.status}.`,
      e?.details ?? [],
    );
  }
  return data as T;
}
