// The first-party browser tracker (public/t.js). No dependencies; every byte counts (budget: 2,048 gzipped).
// <script defer src="https://APP/t.js" data-site="pk_…" data-consent="auto|required|off"></script>
// Nothing is stored and nothing is sent before storage is allowed (PRIVACY.md P1): events wait in memory.
import { isBot, pickIdentity } from "./pure.ts";

interface TrackerEvent {
  id: string;
  type: string;
  ts: number;
  url: string;
  referrer?: string;
  title?: string;
  props?: Record<string, unknown>;
}

((w: Window & { onethread?: unknown }, d: Document) => {
  const script = d.currentScript as HTMLScriptElement | null;
  const site = script?.getAttribute("data-site");
  if (!script || !site || w.onethread) return;
  const base = new URL(script.src).origin;
  const mode = script.getAttribute("data-consent") || "auto";
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const gpc = nav.globalPrivacyControl === true;
  const COOKIE = "ot_id";
  const CHOICE = "ot_consent";
  const YEAR_AND_A_MONTH = 34_214_400; // 13 months in seconds (P2)

  let state: "wait" | "on" | "off" = "wait";
  let held: TrackerEvent[] = [];
  const queue: TrackerEvent[] = [];
  let device = "";
  let path = "";
  let depth = 0;
  let engaged = 0;
  let since = 0;

  const rnd = (n: number) => {
    const a = crypto.getRandomValues(new Uint8Array(n));
    return Array.from(a, (b) => (b % 36).toString(36)).join("");
  };
  const cookie = (name: string) => d.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`))?.[1];
  const setCookie = (name: string, value: string, age: number) => {
    d.cookie = `${name}=${value};path=/;max-age=${age};SameSite=Lax${isSecureContext ? ";Secure" : ""}`;
  };
  const url = () => location.href.split("#")[0] as string;

  function send(beacon?: boolean) {
    if (state !== "on" || !queue.length) return;
    while (queue.length) {
      const events = queue.splice(0, 50);
      const body = JSON.stringify({ site, deviceId: device, events });
      const target = `${base}/api/collect`;
      const ok = beacon && nav.sendBeacon?.(target, new Blob([body], { type: "text/plain" }));
      if (!ok) {
        // A string body goes as text/plain: no CORS preflight, like the beacon.
        fetch(target, { method: "POST", body, keepalive: true }).then(
          (r) => r.status >= 500 && retry(events),
          () => retry(events),
        );
      }
    }
  }
  // Kept for the next send, with the same ids: the server stores an event id once.
  const retry = (events: TrackerEvent[]) => queue.unshift(...events);

  function track(type: string, props?: Record<string, unknown>) {
    if (state === "off") return;
    const e: TrackerEvent = { id: `e_${rnd(16)}`, type, ts: Date.now(), url: url(), props };
    if (type === "page_view") {
      e.title = d.title;
      if (d.referrer) e.referrer = d.referrer;
    }
    if (state === "wait") held.push(e);
    else {
      queue.push(e);
      if (type !== "scroll" && type !== "engagement") setTimeout(send, 1000);
    }
  }

  // Engaged time counts while the page is visible and focused.
  function tick() {
    if (since) engaged += Date.now() - since;
    since = d.visibilityState === "visible" && d.hasFocus() ? Date.now() : 0;
  }

  function flushEngagement() {
    tick();
    const seconds = Math.round(engaged / 1000);
    if (seconds > 0) track("engagement", { seconds });
    engaged = 0;
  }

  function pageView() {
    const here = location.pathname + location.search;
    if (here === path) return; // replaceState with the same URL, or a hash change: not a new page
    if (path) flushEngagement();
    path = here;
    depth = 0;
    tick();
    engaged = 0;
    // Campaign tags and click ids travel in the URL; the server reads them from there.
    track("page_view", gpc ? { gpc } : undefined);
    const click = new URLSearchParams(location.search).get("ot_c");
    if (click) track("link_click", { ot_c: click });
  }

  function allow() {
    if (state === "on") return;
    state = "on";
    device = cookie(COOKIE) || `d_${rnd(22)}`;
    if (!cookie(COOKIE)) setCookie(COOKIE, device, YEAR_AND_A_MONTH);
    queue.push(...held);
    held = [];
    send();
  }

  function consent(choice: "granted" | "denied") {
    setCookie(CHOICE, choice, YEAR_AND_A_MONTH);
    if (choice === "granted") allow();
    // P3: the choice is recorded (a refusal only where storage was already allowed); P4: then all stops.
    track("consent", { choice, bannerVersion: "v1", gpc });
    if (choice !== "granted") {
      send();
      setCookie(COOKIE, "", 0);
      state = "off";
      held = [];
    }
    d.getElementById("ot-banner")?.remove();
  }

  w.onethread = {
    track,
    identify: (who: Record<string, unknown>) => track("identify", pickIdentity(who)),
    consent,
  };

  // Listeners first, so nothing of the page is missed while consent is pending.
  for (const m of ["pushState", "replaceState"] as const) {
    const original = history[m];
    history[m] = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      pageView();
    };
  }
  w.addEventListener("popstate", pageView);
  d.addEventListener(
    "click",
    (ev) => {
      const el = (ev.target as Element | null)?.closest?.("a,button");
      if (!el) return;
      const href = (el as HTMLAnchorElement).href;
      // Absent fields are undefined, which JSON leaves out.
      track("click", {
        tag: el.localName,
        text: el.textContent?.trim().slice(0, 80),
        href: href || undefined,
        id: el.id || undefined,
      });
    },
    true,
  );
  d.addEventListener(
    "submit",
    (ev) => {
      const form = ev.target as HTMLFormElement;
      track("form_submit", Object.assign({ form: form.id || form.getAttribute("name") || "form" }, pickIdentity(form)));
    },
    true,
  );
  w.addEventListener(
    "scroll",
    () => {
      const max = d.documentElement.scrollHeight - innerHeight;
      const pct = max > 0 ? ((scrollY / max) * 100) | 0 : 100;
      for (const mark of [25, 50, 75, 100]) {
        if (pct >= mark && depth < mark) {
          depth = mark;
          track("scroll", { depth: mark });
        }
      }
    },
    { passive: true },
  );
  const hide = () => {
    flushEngagement();
    send(true);
  };
  d.addEventListener("visibilitychange", () => (d.visibilityState === "hidden" ? hide() : tick()));
  w.addEventListener("pagehide", hide);
  w.addEventListener("blur", tick);
  w.addEventListener("focus", tick);

  pageView();
  if (isBot(nav.userAgent)) {
    state = "off";
    return;
  }
  const choice = cookie(CHOICE);
  if (choice === "denied") state = "off";
  else if (choice === "granted" || cookie(COOKIE)) allow();
  else if (mode === "required") banner();
  else if (mode === "auto") {
    fetch(`${base}/api/collect/config?site=${site}`)
      .then((r) => r.json())
      .then((c: { consent: string; dnt: boolean }) => {
        if (c.dnt && nav.doNotTrack === "1") state = "off";
        else if (c.consent === "required") banner();
        else allow();
      }, banner);
  }
  // mode "off": the site's own banner calls onethread.consent(…).

  function banner() {
    const s = d.createElement("script");
    s.src = `${base}/t-consent.js`;
    s.defer = true;
    d.head.appendChild(s);
  }
})(window, document);
