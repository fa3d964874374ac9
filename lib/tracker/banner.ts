// The consent banner (public/t-consent.js): loaded by t.js only when a visitor must be asked (P1).
// A small, keyboard-usable dialog; the choice goes back through onethread.consent (which records it, P3).
((d: Document) => {
  const ot = (window as unknown as { onethread?: { consent(c: string): void } }).onethread;
  if (!ot || d.getElementById("ot-banner")) return;
  const box = d.createElement("div");
  box.id = "ot-banner";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", "Cookie consent");
  box.style.cssText =
    "position:fixed;left:16px;right:16px;bottom:16px;max-width:560px;margin:auto;z-index:2147483647;background:#fff;color:#0f172a;border:1px solid #cbd5e1;border-radius:12px;padding:16px;font:14px/1.5 system-ui,sans-serif;box-shadow:0 8px 30px rgba(0,0,0,.15)";
  const text = d.createElement("p");
  text.style.margin = "0 0 12px";
  text.textContent =
    "We use one first-party cookie to understand how our site is used. No ads, no third parties. Is that OK?";
  box.appendChild(text);
  for (const [label, choice, primary] of [
    ["Accept", "granted", 1],
    ["Decline", "denied", 0],
  ] as const) {
    const b = d.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.style.cssText = `margin-right:8px;padding:8px 16px;border-radius:8px;cursor:pointer;font:inherit;border:1px solid #1f57c9;${primary ? "background:#1f57c9;color:#fff" : "background:#fff;color:#1f57c9"}`;
    b.onclick = () => ot.consent(choice);
    box.appendChild(b);
  }
  d.body.appendChild(box);
  (box.querySelector("button") as HTMLButtonElement).focus();
})(document);
