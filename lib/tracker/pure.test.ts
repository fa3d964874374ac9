import { expect, test } from "vitest";
import { campaignOf, cleanUrl, type FieldLike, fieldKind, isBot, pickIdentity, takeBatches } from "./pure.ts";

test("a page URL keeps its origin, path and allow-listed parameters only, never the fragment", () => {
  expect(
    cleanUrl(
      "https://acme.test/pricing/?utm_source=google&email=jo%40example.com&gclid=Cj0&q=piano&ot_c=c_1&UTM_Medium=cpc#top",
      true,
    ),
  ).toBe("https://acme.test/pricing/?utm_source=google&gclid=Cj0&ot_c=c_1&UTM_Medium=cpc");
  expect(cleanUrl("https://acme.test/?token=secret&session=abc", true)).toBe("https://acme.test/");
  for (const id of ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid", "li_fat_id"]) {
    expect(cleanUrl(`https://acme.test/a?${id}=x1&name=Jo`, true)).toBe(`https://acme.test/a?${id}=x1`);
  }
});

test("a referrer keeps origin and path only; other schemes keep only the scheme; garbage gives nothing", () => {
  expect(cleanUrl("https://www.google.com/search?q=movers+ventura&utm_source=x")).toBe("https://www.google.com/search");
  expect(cleanUrl("mailto:jo@example.com?subject=Hi", true)).toBe("mailto:");
  expect(cleanUrl("tel:+18055550100", true)).toBe("tel:");
  expect(cleanUrl("")).toBe("");
  expect(cleanUrl("not a url", true)).toBe("");
});

test("campaign parsing gives UTM tags, ad click ids and ot_c, nothing else", () => {
  expect(
    campaignOf(
      "https://acme.test/?utm_source=google&utm_medium=cpc&utm_campaign=movers&utm_term=piano&utm_content=c7&gclid=G&fbclid=F&ot_c=c_9&ref=x",
    ),
  ).toEqual({
    utm_source: "google",
    utm_medium: "cpc",
    utm_campaign: "movers",
    utm_term: "piano",
    utm_content: "c7",
    gclid: "G",
    fbclid: "F",
    ot_c: "c_9",
  });
  expect(campaignOf("https://acme.test/pricing")).toEqual({});
  expect(campaignOf("https://acme.test/?utm_source=a%20b")).toEqual({ utm_source: "a b" });
});

test("form fields: an email by type, name or value; a phone by type or name and a phone-shaped value", () => {
  expect(fieldKind({ type: "email", name: "x", value: "jo@example.com" })).toBe("email");
  expect(fieldKind({ type: "text", name: "contact_email", value: " jo@example.com " })).toBe("email");
  expect(fieldKind({ type: "text", name: "username", value: "jo@example.com" })).toBe("email");
  expect(fieldKind({ type: "tel", name: "x", value: "(805) 555-0100" })).toBe("phone");
  expect(fieldKind({ type: "text", name: "mobile_number", value: "+44 7700 900123" })).toBe("phone");
  expect(fieldKind({ type: "text", autocomplete: "tel", value: "805-555-0100" })).toBe("phone");
});

test("form fields: passwords, hidden fields, text areas, selects and free text are never taken", () => {
  const never: FieldLike[] = [
    { type: "password", name: "email", value: "jo@example.com" },
    { type: "hidden", name: "email", value: "jo@example.com" },
    { type: "textarea", name: "notes", value: "jo@example.com" },
    { type: "select-one", name: "phone", value: "8055550100" },
    { type: "checkbox", name: "email_opt_in", value: "jo@example.com" },
    { type: "text", name: "notes", value: "call me at 805 555 0199, jo2@example.com" },
    { type: "text", name: "company", value: "8055550100" }, // digits, but not a phone field
    { type: "text", name: "contact_email", value: "not an email" },
    { type: "tel", name: "phone", value: "abc" },
    { type: "submit", value: "Get a quote" },
    {}, // a fieldset
  ];
  for (const f of never) expect(fieldKind(f), JSON.stringify(f)).toBeUndefined();
});

test("a form gives up its first email and first phone, trimmed, and nothing else", () => {
  const picked = pickIdentity([
    { type: "text", name: "name", value: "Jo Smith" },
    { type: "email", name: "email", value: " jo@example.com " },
    { type: "email", name: "email2", value: "other@example.com" },
    { type: "tel", name: "phone", value: "(805) 555-0100" },
    { type: "password", name: "password", value: "hunter2@example.com" },
    { type: "textarea", name: "notes", value: "my secret notes" },
  ]);
  expect(picked).toEqual({ email: "jo@example.com", phone: "(805) 555-0100" });
  expect(pickIdentity([{ type: "text", name: "q", value: "pianos" }])).toEqual({});
});

test("the queue leaves in requests of at most 50 events, oldest first, and is emptied", () => {
  const queue = Array.from({ length: 120 }, (_, i) => ({ id: `e_${i}` }));
  const batches = takeBatches(queue);
  expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
  expect(batches.flat().map((e) => e.id)).toEqual(Array.from({ length: 120 }, (_, i) => `e_${i}`));
  expect(queue).toEqual([]);
  expect(takeBatches([])).toEqual([]);
  expect(takeBatches([1, 2, 3])).toEqual([[1, 2, 3]]);
});

test("bots and headless browsers are recognised; a normal browser is not", () => {
  for (const ua of [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36 Chrome-Lighthouse",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0)",
  ]) {
    expect(isBot(ua), ua).toBe(true);
  }
  for (const ua of [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0",
  ]) {
    expect(isBot(ua), ua).toBe(false);
  }
});
