// The first-party browser tracker (public/t.js). No dependencies; budget 2,048 bytes gzipped, so the code
// is written for the minifier: top-level arrows, one state number, few property names.
// <script defer src="https://APP/t.js" data-site="pk_…" data-consent="auto|required|off"></script>
// Nothing is stored and nothing is sent before storage is allowed (PRIVACY.md P1): events wait in memory.
// Events, the config call and the consent states: lib/tracker/README.md.
import { campaignOf, cleanUrl, type FieldLike, isBot, pickIdentity, takeBatches } from "./pure.ts";

type Props = Record<string, unknown>;
interface TrackerEvent {
  id: string;
  type: string;
  ts: number;
  url: string;
  referrer?: string;
  title?: string;
  props?: Props;
}

const w = window as Window & { onethread?: unknown };
const d = document;
const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
const tag = d.currentScript as HTMLScriptElement | null;
const site = tag ? tag.dataset.site : "";

if (site && !w.onethread) {
  // Requests go where the script came from, path prefix included: `https://APP/t.js` → APP, a first-party
  // `/ot/t.js` (the business proxies `/ot/*` to APP, docs/first-party-serving.md) → `/ot/api/collect`.
  const base = tag!.src.replace(/\/[^/]*$/, "");
  const mode = tag!.dataset.consent || "auto";
  const gpc = !!nav.globalPrivacyControl;
  const dnt = nav.doNotTrack === "1";
  const ID = "ot_id";
  const CHOICE = "ot_consent";
  // 0 waiting for consent (events held), 1 sending, 2 refused/withdrawn/DNT, 3 a bot (never).
  let state = isBot(nav.userAgent) ? 3 : 0;
  // Events wait here until they are sent; while consent is pending, that is all that happens to them.
  let queue: TrackerEvent[] = [];
  // Batches whose fetch failed: they rejoin the queue at the next send while the page stays, never the
  // page-hide flush (leaving the page rejects a keepalive fetch that the browser still delivers).
  const failed: TrackerEvent[] = [];
  let device = "";
  let page = "";
  let path = "";
  let depth = 0;
  let engaged = 0;
  let since = 0;

  // 96 random bits as up to 30 digits: event ids and device ids.
  const rnd = () => crypto.getRandomValues(new Uint32Array(3)).join("");
  const cookie = (name: string) => (d.cookie.match(`(^|; )${name}=([^;]*)`) || [])[2];
  // 13 months in seconds (P2), counted from consent: the id cookie is written once and never extended.
  // No Secure flag: the cookie never travels to OneThread (events carry the id), and http sites work too.
  const setCookie = (name: string, value: string, age = 34_214_400) => {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing in Safari and Firefox.
    d.cookie = `${name}=${value};path=/;max-age=${age};SameSite=Lax`;
  };

  const target = `${base}/api/collect`;
  // Sends the whole queue. `beacon`: the page is being hidden or left.
  const send = (beacon?: 1) => {
    if (state === 1) {
      if (!beacon) queue.push(...failed.splice(0));
      for (const events of takeBatches(queue)) {
        const body = JSON.stringify({ site, deviceId: device, events });
        // A batch that fails (network, 429, 5xx) goes to `failed` and leaves again with the same ids (the
        // server stores an event id once). A string body goes as text/plain;charset=UTF-8, by beacon and by
        // fetch alike: a simple request, no CORS preflight.
        const retry = () => failed.push(...events);
        if (!(beacon && nav.sendBeacon(target, body)))
          fetch(target, { method: "POST", body, keepalive: true }).then((r) => r.status > 428 && retry(), retry);
      }
    }
  };

  // `when` 1: leaves now, with the queue (it identifies the visitor, and the page may be gone at once);
  // 2: rides along with the next send (at the latest on page hide); else: one second later.
  const track = (type: string, props?: Props, when?: 1 | 2 | 0, extra?: Partial<TrackerEvent>) => {
    if (state < 2) {
      queue.push(Object.assign({ id: `e_${rnd()}`, type, ts: Date.now(), url: page, props }, extra));
      if (when !== 2) when ? send() : setTimeout(send, 1000);
    }
  };

  // Engaged time counts while the page is visible and focused (a hidden page never has the focus).
  const tick = () => {
    const now = Date.now();
    if (since) engaged += now - since;
    since = d.hasFocus() ? now : 0;
  };

  // Seconds engaged since the last report, for the current page (before a new one replaces it).
  const flushEngagement = () => {
    tick();
    const seconds = Math.round(engaged / 1000);
    engaged = 0;
    if (seconds) track("engagement", { seconds }, 2);
  };

  const pageView = () => {
    const here = location.pathname + location.search;
    if (here === path) return; // replaceState with the same URL, or a hash change: not a new page
    flushEngagement();
    // Landing: where the visitor came from; an SPA route change: the previous page.
    const referrer = path ? page : cleanUrl(d.referrer);
    path = here;
    page = cleanUrl(location.href, true);
    depth = 0;
    const props: Props = campaignOf(location.href);
    if (gpc) props.gpc = true;
    track("page_view", props, 0, { title: d.title, referrer: referrer || undefined });
    if (props.ot_c) track("link_click", { ot_c: props.ot_c });
  };

  const allow = () => {
    if (state % 2) return; // already sending, or a bot
    state = 1;
    device = cookie(ID) || `d_${rnd()}`;
    if (!cookie(ID)) setCookie(ID, device);
    setTimeout(send); // after the consent event, if that is what allowed it: one request for both
  };

  // P3: the choice is recorded with the device id of that moment; P4: a refusal removes the cookie and stops.
  // Refused before any consent, nothing is sent (P1): there is no device and nothing to withdraw.
  const consent = (choice: string, bannerVersion = "site") => {
    const granted = choice === "granted";
    setCookie(CHOICE, granted ? choice : "denied");
    if (granted) allow();
    track("consent", { choice, bannerVersion, gpc }, 1);
    if (!granted) {
      setCookie(ID, "", 0);
      queue = [];
      if (state < 3) state = 2;
    }
  };

  w.onethread = {
    track: (type: string, props?: Props) => /^[a-z][a-z0-9_]{0,63}$/.test(type) && track(type, props),
    // JSON leaves out what is undefined; the server keeps string identifiers only.
    identify: ({ email, phone, accountId }: Props = {}) => track("identify", { email, phone, accountId }, 1),
    consent,
  };

  // Listeners first, so nothing of the page is missed while consent is pending.
  for (const m of ["pushState", "replaceState"] as const) {
    const original = history[m];
    history[m] = (...args: Parameters<History["pushState"]>) => {
      original.apply(history, args);
      pageView();
    };
  }
  w.addEventListener("popstate", pageView);
  d.addEventListener(
    "click",
    (ev) => {
      const t = ev.target as Element;
      const el = t.closest && (t.closest("a,button") as HTMLAnchorElement | null);
      if (el)
        track("click", {
          tag: el.localName,
          text: el.textContent!.replace(/\s+/g, " ").trim().slice(0, 80),
          href: cleanUrl(el.href, true) || undefined,
          id: el.id || undefined,
        });
    },
    true,
  );
  d.addEventListener(
    "submit",
    (ev) => {
      const form = ev.target as HTMLFormElement;
      const props = { form: form.getAttribute("id") || form.getAttribute("name") || "form" };
      // The submit is the page's last moment before the browser or the form's script navigates: send now.
      track("form_submit", Object.assign(props, pickIdentity(form.elements as unknown as Iterable<FieldLike>)), 1);
    },
    true,
  );
  // No `passive` option: a scroll event cannot be cancelled, so it would change nothing.
  w.addEventListener("scroll", () => {
    // How far down the bottom of the window has been (2 px spare for fractional scrolling).
    const pct = ((scrollY + innerHeight + 2) / d.documentElement.scrollHeight) * 100;
    while (depth < 100 && pct >= depth + 25) {
      depth += 25;
      track("scroll", { depth }, 2);
    }
  });
  const hide = () => {
    flushEngagement();
    send(1);
  };
  d.addEventListener("visibilitychange", () => (d.hidden ? hide() : tick()));
  w.addEventListener("pagehide", hide);
  w.addEventListener("blur", tick);
  w.addEventListener("focus", tick);

  pageView();

  // DNT is honoured unless the workspace turned that off, which only the server knows.
  const decide = (c: { consent?: string; dnt?: boolean }) => {
    if (dnt && c.dnt !== false) state = 2;
    else if (mode === "auto" && (cookie(ID) || c.consent === "not_required")) allow();
    else if (mode !== "off") d.head.append(Object.assign(d.createElement("script"), { src: `${base}/t-consent.js` }));
    // mode "off": the site's own banner calls onethread.consent(…).
  };
  const choice = cookie(CHOICE);
  if (state) {
    // a bot: the API exists and does nothing
  } else if (choice === "granted") allow();
  else if (choice) state = 2;
  else if (dnt || (mode === "auto" && !cookie(ID)))
    fetch(`${target}/config?site=${site}`)
      .then((r) => r.json())
      .then(decide, () => decide({}));
  else decide({});
}
