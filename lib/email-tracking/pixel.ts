/** A 1×1 transparent GIF (GIF89a, one palette entry marked transparent): 43 bytes. */
export const TRANSPARENT_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");

/** The open pixel's answer, the same for every token, known or not: nothing to learn from probing it. */
export function pixelResponse(): Response {
  return new Response(new Uint8Array(TRANSPARENT_GIF), {
    status: 200,
    headers: {
      "Content-Type": "image/gif",
      "Content-Length": String(TRANSPARENT_GIF.length),
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
