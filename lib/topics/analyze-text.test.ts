import { expect, test } from "vitest";
import {
  analyzeText,
  compileVocabulary,
  detectLanguage,
  normalizePhrase,
  ownWords,
  resolvePhrase,
  withinOneEdit,
} from "./analyze-text.ts";
import { starterTopics } from "./business-types.ts";

const movers = () => compileVocabulary(starterTopics("movers"));

/** What a fixed set of messages counts, per topic: each message once per topic (the counter's rule). */
function tally(messages: string[]) {
  const vocab = movers();
  const counts = new Map<string, number>();
  const skipped: string[] = [];
  for (const m of messages) {
    const r = analyzeText(m, vocab);
    if (!r.analysed) skipped.push(r.language);
    for (const name of [...r.topics, ...r.phrases.map((p) => p.name)]) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const p of r.phrases) vocab.byTerm.set(p.name, [p.name]); // found phrases join, as in a batch
  }
  return { counts: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))), skipped };
}

test("a fixed set of movers' messages counts each topic once per message, plurals and synonyms together", () => {
  const { counts, skipped } = tally([
    "Do you sell boxes, or only rent crates?",
    "How many boxes do I need for a 2 bedroom apartment?",
    "Do you have cartons? And tape?",
    "Can you move my piano next week?",
    "We have two pianos, is that extra?",
    "Do you do wine cellars? We have a wine cellar to move.",
    "Any chance you move wine cellars too",
    "Hola, ¿tienen cajas para la mudanza?",
    "Wir brauchen Umzugskartons, verkaufen Sie die?",
    "ok thanks",
  ]);
  expect(counts).toEqual({ box: 3, bedroom: 1, piano: 2, "wine cellar": 2 });
  expect(skipped).toEqual(["spa", "deu"]);
});

test("near-duplicates land on one topic: lemma, plural, hyphen, no space, one typo, synonym", () => {
  const vocab = movers();
  for (const text of [
    "Can you move a hot tub?",
    "Can you move hot tubs?",
    "Do you move hot-tubs",
    "Can you move a hottub?",
  ])
    expect(analyzeText(text, vocab).topics, text).toContain("hot tub");
  expect(analyzeText("Do you have a pianno dolly?", vocab).topics).toContain("piano");
  expect(analyzeText("Do you rent crates?", vocab).topics).toEqual(["box"]);
  expect(analyzeText("Boxes again?", vocab).topics).toEqual(["box"]); // capitalised first word, not a name
  expect(resolvePhrase("storage unit", vocab)).toBe("storage");
  expect(resolvePhrase("storag", vocab)).toBe("storage");
  expect(resolvePhrase("aquarium", vocab)).toBeNull();
  expect(withinOneEdit("piano", "pianno")).toBe(true);
  expect(withinOneEdit("piano", "pinao")).toBe(true);
  expect(withinOneEdit("piano", "pi")).toBe(false);
});

test("new phrases come from questions only, never from names, numbers or generic words", () => {
  const vocab = movers();
  expect(analyzeText("Do you move aquariums?", vocab).phrases.map((p) => p.name)).toEqual(["aquarium"]);
  expect(analyzeText("We moved the aquarium last week.", vocab).phrases).toEqual([]);
  const named = analyzeText("Hi, Priya Shah here. Do you have time on Friday?", vocab);
  expect(named.phrases).toEqual([]);
  expect(analyzeText("Is there anything for 3 rooms?", vocab).phrases.map((p) => p.name)).toEqual(["room"]);
  expect(analyzeText("Do you do junk removal?", vocab)).toMatchObject({ topics: ["junk"], phrases: [] });
});

test("language: English is analysed, even short questions franc misreads; other languages are skipped", () => {
  expect(detectLanguage("Do you move pianos")).toEqual({ language: "eng", analysed: true });
  expect(detectLanguage("Hi, do you do storage?").analysed).toBe(true);
  expect(detectLanguage("Hola, ¿tienen cajas para la mudanza?")).toEqual({ language: "spa", analysed: false });
  expect(detectLanguage("Bonjour, vous faites les déménagements le samedi?")).toEqual({
    language: "fra",
    analysed: false,
  });
  expect(detectLanguage("Привет, у вас есть коробки?").analysed).toBe(false);
  expect(detectLanguage("你们卖箱子吗？").analysed).toBe(false);
  expect(detectLanguage("12345 !!!")).toEqual({ language: "und", analysed: false });
});

test("a business type's vocabulary: its own topics first, then the common ones; none: the common ones", () => {
  const clinic = starterTopics("clinic").map((t) => t.name);
  expect(clinic[0]).toBe("insurance");
  expect(clinic).toContain("price");
  expect(starterTopics(null).map((t) => t.name)).toEqual(starterTopics("other").map((t) => t.name));
  expect(analyzeText("Do you take Medicare?", compileVocabulary(starterTopics("clinic"))).topics).toEqual([
    "insurance",
  ]);
  expect(normalizePhrase("Storage Units")).toBe("storage unit");
});

test("an email reply is read without the quoted thread below it", () => {
  const reply =
    "Do you sell boxes?\n\nOn Tue, 1 Dec 2026 at 10:00, Acme Movers <hi@acme.test> wrote:\n> Your quote for a piano move";
  expect(ownWords(reply).trim()).toBe("Do you sell boxes?");
  expect(analyzeText(ownWords(reply), movers()).topics).toEqual(["box"]);
  expect(ownWords("Thanks!\n> quoted line\nsee you").replace(/\n/g, " ")).toBe("Thanks! see you");
});
