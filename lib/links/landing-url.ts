/**
 * The target with `ot_c=<clickId>` in its query, everything else as it was: other parameters keep their exact
 * encoding and order, a previous `ot_c` is replaced, and the fragment stays last (`/p?a=1#top` →
 * `/p?a=1&ot_c=…#top`).
 */
export function withClickId(target: string, clickId: string): string {
  const url = new URL(target);
  const kept = url.search
    .slice(1)
    .split("&")
    .filter((part) => part && paramName(part) !== "ot_c");
  kept.push(`ot_c=${encodeURIComponent(clickId)}`);
  url.search = `?${kept.join("&")}`;
  return url.href;
}

function paramName(part: string) {
  const name = part.split("=", 1)[0] ?? "";
  try {
    return decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    return name;
  }
}
