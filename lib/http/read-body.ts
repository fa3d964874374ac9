import { AppError } from "../errors.ts";

export const KiB = 1024;
export const MiB = 1024 * KiB;

/**
 * Reads the raw body, refusing more than `limit` bytes with a 413 before buffering it all
 * (a lying or absent Content-Length does not get past the byte count).
 */
export async function readBody(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit);
  if (!req.body) return "";
  // A declared length within the limit is all the server reads of this request (HTTP/1.1 framing): one read
  // instead of a chunk loop through web streams. Without one (chunked), every byte is counted as it comes.
  if (Number.isFinite(declared)) return new TextDecoder().decode(await req.arrayBuffer());
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The 413 of a body past `limit` bytes. */
export function payloadTooLarge(limit: number) {
  const human = limit >= MiB ? `${limit / MiB} MiB` : `${limit / KiB} KiB`;
  return new AppError("payload_too_large", 413, `The request body is larger than the ${human} this endpoint accepts.`);
}

export function parseJson(text: string): unknown {
  if (!text.trim()) throw new AppError("invalid_json", 400, "The request body is empty; JSON was expected.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_json", 400, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}
