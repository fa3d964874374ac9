import { expect, test } from "vitest";
import { addressOf, decodeEntities, htmlToText } from "./html-to-text.ts";

test("htmlToText: paragraphs and breaks become lines, links keep their target, styles and entities go", () => {
  const html = `<html><head><style>p{color:red}</style></head><body><p>Hi Ann,</p><p>Your quote is
  <a href="https://acme.test/q?a=1&amp;b=2">here</a>.<br>Thanks &amp; talk soon</p><!-- x --><ul><li>One</li><li>Two</li></ul></body></html>`;
  expect(htmlToText(html)).toBe(
    "Hi Ann,\nYour quote is here (https://acme.test/q?a=1&b=2).\nThanks & talk soon\n• One\n• Two",
  );
  expect(htmlToText('<a href="https://x.test/">https://x.test/</a>')).toBe("https://x.test/");
});

test("decodeEntities leaves what it does not know", () => {
  expect(decodeEntities("&#39;&#x2F;&bogus;&#0;")).toBe("'/&bogus;&#0;");
});

test("addressOf reads display-name and bare forms", () => {
  expect(addressOf("Ann Lee <ann@example.com>")).toBe("ann@example.com");
  expect(addressOf(" bo@example.com ")).toBe("bo@example.com");
  expect(addressOf('"Lee, Ann" <ann@x.test>')).toBe("ann@x.test");
  expect(addressOf("nobody")).toBeNull();
  expect(addressOf(null)).toBeNull();
});
