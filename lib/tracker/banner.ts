// The consent banner (public/t-consent.js): loaded by t.js only when a visitor must be asked (P1) and the site
// did not choose data-consent="off". A small non-modal dialog placed first in the tab order; focus is not
// moved (a banner appearing on load should not pull a screen reader away). Accept and Decline look alike, so
// refusing is as easy as accepting. Styles go through the CSSOM, not a <style> tag or innerHTML, so a strict
// Content-Security-Policy or Trusted Types do not break it; the browser's own focus ring stays visible.
// The choice goes back through onethread.consent, which records it (P3).

/** Sent with every choice as `bannerVersion`: change it whenever TEXT changes, so consent can be shown. */
const BANNER_VERSION = "v1";
const TEXT = "We use a first-party cookie to understand how our site is used. No ads, no third parties.";

const d = document;
const ot = (window as unknown as { onethread?: { consent(choice: string, bannerVersion: string): void } }).onethread;
if (ot && !d.getElementById("ot-banner")) {
  const box = d.createElement("div");
  box.id = "ot-banner";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", "Cookie consent");
  box.setAttribute("aria-describedby", "ot-banner-text");
  box.style.cssText =
    "position:fixed;left:16px;right:16px;bottom:16px;max-width:560px;margin:auto;z-index:2147483647;background:#fff;color:#0f172a;border:1px solid #cbd5e1;border-radius:12px;padding:16px;font:14px/1.5 system-ui,sans-serif;box-shadow:0 8px 30px rgba(0,0,0,.15)";
  const text = d.createElement("p");
  text.id = "ot-banner-text";
  text.style.margin = "0 0 12px";
  text.textContent = TEXT;
  box.append(text);
  for (const [label, choice] of [
    ["Accept", "granted"],
    ["Decline", "denied"],
  ] as const) {
    const b = d.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.style.cssText =
      "margin-right:8px;padding:8px 16px;border-radius:8px;cursor:pointer;font:inherit;border:1px solid #1f57c9;background:#fff;color:#1f57c9";
    b.onclick = () => {
      box.remove();
      ot.consent(choice, BANNER_VERSION);
    };
    box.append(b);
  }
  d.body.prepend(box);
}
