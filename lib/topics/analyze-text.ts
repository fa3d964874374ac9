import { franc } from "franc";
import model from "wink-eng-lite-web-model";
import winkNLP, { type ItemSentence, type Tokens } from "wink-nlp";

/**
 * Local NLP for the topic counters (decision 019): wink-nlp's English lite model (tokens, lemmas, parts of
 * speech, English stop words) and franc (language). No text leaves the process.
 */
const nlp = winkNLP(model);
const its = nlp.its;

/** The languages franc chooses among: the ones customers of our businesses write in most. Only English is analysed. */
const FRANC_ONLY = [
  "eng",
  "spa",
  "fra",
  "deu",
  "por",
  "ita",
  "nld",
  "pol",
  "tur",
  "swe",
  "dan",
  "nob",
  "ron",
  "ces",
  "hun",
  "fin",
  "rus",
  "ukr",
  "cmn",
  "jpn",
  "kor",
  "arb",
  "hin",
  "vie",
  "tgl",
  "ind",
];
export const ANALYSED_LANGUAGES = ["eng"] as const;

/** Share of words in the English model's lexicon above which a text franc places elsewhere is English ("ok thanks"). */
const LEXICON_SHARE = 0.8;
/** Any document answers lexicon look-ups. */
const lexicon = nlp.readDoc("");

/** Share of English stop words ("do", "you", "the"…) above which a short text franc cannot place is English. */
const STOPWORD_SHARE = 0.3;

/** Nouns that say nothing about what is asked: never a topic of their own. */
const GENERIC = new Set(
  `thing time day week month year today tomorrow tonight morning afternoon evening night weekend question thanks
  thank hi hello hey anything something everything nothing way lot bit people person guy guys team one business
  company service information info help email e-mail message call phone number text website site page yes no ok
  okay please sir madam name place minute moment chance idea problem issue reply answer update monday tuesday
  wednesday thursday friday saturday sunday january february march april may june july august september october
  november december am pm th st nd rd kind sort type stuff lol regards cheers hour dear pic photo picture attachment
  form contact request detail details end start`.split(/\s+/),
);
/** Adjectives dropped from the front of a phrase ("next week", "big move" say no more than their noun). */
const WEAK_ADJECTIVES = new Set(
  `big small little new next last good great other same few much many more quick free nice sure possible able
  available own first second whole entire certain extra additional`.split(/\s+/),
);
/** Verbs that stay verbs before a noun ("move boxes", "need storage"). */
const COMMON_VERBS = new Set(
  `be have do get need want move sell offer rent book make take like know see come go help pack send give keep
  find buy pay call bring carry provide include cover ship deliver store hire use ask tell let put try start
  finish schedule reschedule cancel change add fix clean cut paint install remove`.split(/\s+/),
);
/** A sentence that asks for something: a question, or a request in so many words. */
const ASKING =
  /\?|\b(do|does|can|could|would|will|are|is) (you|u|y'all|ya|they|there)\b|\b(i|we)('d| would)? (need|want|like|wonder)|\blooking for\b|\binterested in\b|\bhow (much|many|long|do|does|can)\b|\b(offer|sell|provide|rent|carry)\b/i;

const WORD = /^[a-z][a-z'-]*[a-z]$|^[a-z]$/;

export interface TextLanguage {
  /** franc's ISO 639-3 code, `und` when it cannot tell. */
  language: string;
  analysed: boolean;
}

interface ReadToken {
  lemma: string;
  /** Lower-case surface form. */
  normal: string;
  pos: string;
  stop: boolean;
  word: boolean;
}

const lemmaCache = new Map<string, string>();
/** The lemma of a lone lower-case word ("boxes" → "box"), remembered. */
function lemmaOfWord(word: string): string {
  let lemma = lemmaCache.get(word);
  if (lemma === undefined) {
    lemma = String(
      nlp
        .readDoc(word)
        .tokens()
        .out(its.lemma as unknown as typeof its.value)[0] ?? word,
    );
    if (lemmaCache.size < 50_000) lemmaCache.set(word, lemma);
  }
  return lemma;
}

/** The tokens as the counter reads them: lower-case lemma, surface form, part of speech, stop word, plain word. */
function readTokens(tokens: Tokens): ReadToken[] {
  // Whole arrays at once: one `out` per property is far cheaper than one per token.
  const lemmas = tokens.out(its.lemma as unknown as typeof its.value) as string[];
  const normals = tokens.out(its.normal) as string[];
  const tags = tokens.out(its.pos) as string[];
  const stops = tokens.out(its.stopWordFlag) as unknown as boolean[];
  const types = tokens.out(its.type) as string[];
  return lemmas.map((raw, i) => {
    const lemma = String(raw).toLowerCase();
    return {
      lemma,
      normal: String(normals[i]),
      pos: String(tags[i]),
      stop: Boolean(stops[i]),
      word: types[i] === "word" && WORD.test(lemma),
    };
  });
}

/**
 * A sentence's first word is capitalised whatever it is, and the tagger then takes an English word for a name
 * ("Boxes again?"): when it is in the English lexicon it is read as the plain word. Names stay names (they are
 * not in the lexicon), and never become topics.
 */
function atSentenceStart(t: ReadToken): ReadToken {
  if (t.pos !== "PROPN" || lexicon.isOOV(t.normal)) return t;
  const lemma = lemmaOfWord(t.normal);
  return { ...t, lemma, pos: "NOUN", word: WORD.test(lemma) };
}

const NON_LATIN = /[\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g;

/**
 * Whether the counter reads a text: franc says English; or franc cannot tell / names another language but the
 * text is in Latin script and at least 30% of its words are English stop words or 80% are in the English model's
 * lexicon (franc misplaces short English such as "Do you move pianos" as Portuguese, "ok thanks" as Vietnamese). Anything else is skipped and counted as skipped under franc's code.
 */
export function detectLanguage(text: string, tokens?: ReadToken[]): TextLanguage {
  const letters = text.replace(/[^\p{L}]/gu, "");
  const nonLatin = (text.match(NON_LATIN) ?? []).length;
  const language = franc(text, { only: FRANC_ONLY, minLength: 3 });
  if (language === "eng") return { language, analysed: true };
  if (!letters.length) return { language: "und", analysed: false };
  if (nonLatin > letters.length / 3) return { language, analysed: false };
  const read = tokens ?? readTokens(nlp.readDoc(text).tokens());
  const words = read.filter((t) => t.word);
  const stops = words.filter((t) => t.stop).length;
  if (words.length && stops >= 1 && stops / words.length >= STOPWORD_SHARE) return { language: "eng", analysed: true };
  const known = words.filter((t) => !lexicon.isOOV(t.normal)).length;
  if (words.length && known / words.length >= LEXICON_SHARE) return { language: "eng", analysed: true };
  return { language, analysed: false };
}

/** A phrase as the counter compares it: lower-case lemmas of its words, hyphens as spaces ("Hot-Tubs" → "hot tub"). */
export function normalizePhrase(text: string): string {
  const doc = nlp.readDoc(text.toLowerCase().replace(/[-_/]+/g, " "));
  return readTokens(doc.tokens())
    .filter((t) => t.word)
    .map((t) => t.lemma)
    .join(" ");
}

/** "hot tub" and "hottub" are one. */
const compact = (phrase: string) => phrase.replace(/[\s'-]+/g, "");

export interface VocabularyTopic {
  name: string;
  terms: readonly string[];
}

export interface CompiledVocabulary {
  /** Normalised term → the topics it counts for. */
  byTerm: Map<string, string[]>;
  /** Spaces and hyphens removed → topic, for near-duplicates ("hottub"). */
  byCompact: Map<string, string>;
  /** The longest term, in words. */
  maxWords: number;
  /** Normalised terms of five letters or more, for the one-letter-off match ("pianno"). */
  longTerms: { term: string; topic: string }[];
}

/**
 * The lookup the analyser matches against: every topic's name and terms, normalised like the text (so "boxes"
 * finds "box", "storage units" finds "storage unit"). Terms are normalised once per batch, not per message.
 */
export function compileVocabulary(topics: readonly VocabularyTopic[], normalize = normalizePhrase): CompiledVocabulary {
  const byTerm = new Map<string, string[]>();
  const byCompact = new Map<string, string>();
  const longTerms: { term: string; topic: string }[] = [];
  let maxWords = 1;
  for (const topic of topics) {
    for (const raw of new Set([topic.name, ...topic.terms])) {
      const term = normalize(raw);
      if (!term) continue;
      const list = byTerm.get(term) ?? [];
      if (!list.includes(topic.name)) list.push(topic.name);
      byTerm.set(term, list);
      if (!byCompact.has(compact(term))) byCompact.set(compact(term), topic.name);
      if (term.length >= 5) longTerms.push({ term, topic: topic.name });
      maxWords = Math.max(maxWords, term.split(" ").length);
    }
  }
  return { byTerm, byCompact, maxWords, longTerms };
}

/** At most one edit (insert, delete, substitute, swap of neighbours) apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

/**
 * The topic a found phrase is a near-duplicate of: the same lemmas (plural, tense), the same letters without
 * spaces or hyphens, or — for words of five letters or more — one typo away. Null: a new topic.
 */
export function resolvePhrase(phrase: string, vocab: CompiledVocabulary): string | null {
  const exact = vocab.byTerm.get(phrase);
  if (exact?.[0]) return exact[0];
  const squashed = vocab.byCompact.get(compact(phrase));
  if (squashed) return squashed;
  if (phrase.length >= 5) {
    for (const { term, topic } of vocab.longTerms) if (withinOneEdit(phrase, term)) return topic;
  }
  return null;
}

export interface FoundPhrase {
  /** Normalised lemmas: the new topic's name. */
  name: string;
  /** "Hot tub": what the owner sees until they rename it. */
  label: string;
}

export interface TextTopics extends TextLanguage {
  /** Names of vocabulary topics the text mentions (each once). */
  topics: string[];
  /** Noun phrases asked about that no topic covers yet (each once). */
  phrases: FoundPhrase[];
}

/**
 * What one customer message is about. Vocabulary topics: any sentence whose lemma n-grams hit a term. New
 * phrases: noun phrases (an optional adjective and a noun, or two nouns) of sentences that ask for something,
 * without stop words, generic nouns ("time", "thanks"), proper nouns (people's names never become a topic),
 * numbers or anything that is not a plain word; a phrase that is a near-duplicate of a topic counts for it.
 */
export function analyzeText(text: string, vocab: CompiledVocabulary): TextTopics {
  const doc = nlp.readDoc(text.replace(/[-_/]+(?=\p{L})/gu, " "));
  const all = readTokens(doc.tokens());
  const lang = detectLanguage(text, all);
  if (!lang.analysed) return { ...lang, topics: [], phrases: [] };
  const topics = new Set<string>();
  const phrases = new Map<string, FoundPhrase>();
  doc.sentences().each((sentence: ItemSentence) => {
    const own = sentence.tokens();
    const first = own.length() ? own.itemAt(0).index() : 0;
    const tokens = all.slice(first, first + own.length());
    if (tokens[0]) tokens[0] = atSentenceStart(tokens[0]);
    const words = tokens.filter((t) => t.word).map((t) => t.lemma);
    for (let i = 0; i < words.length; i++) {
      for (let n = 1; n <= vocab.maxWords && i + n <= words.length; n++) {
        for (const topic of vocab.byTerm.get(words.slice(i, i + n).join(" ")) ?? []) topics.add(topic);
      }
    }
    if (!ASKING.test(sentence.out())) return;
    for (const run of nounPhrases(tokens)) {
      let kept = run;
      if (kept[0]?.pos === "ADJ" && WEAK_ADJECTIVES.has(kept[0].lemma)) kept = kept.slice(1);
      kept = kept.filter((p) => !GENERIC.has(p.lemma));
      if (!kept.some((p) => p.pos === "NOUN") || kept.every((p) => p.lemma.length < 3)) continue;
      const name = kept.map((p) => p.lemma).join(" ");
      // The phrase, else any of its words, may be a topic already ("junk removal", "pianno dolly" → piano).
      const known = resolvePhrase(name, vocab) ?? firstKnown(kept, vocab);
      if (known) topics.add(known);
      else if (!phrases.has(name)) phrases.set(name, { name, label: name.charAt(0).toUpperCase() + name.slice(1) });
    }
  });
  return { ...lang, topics: [...topics], phrases: [...phrases.values()] };
}

/**
 * Noun phrases from wink's parts of speech: runs of at most three plain words, an optional adjective then nouns
 * ("hot tub", "wine cellar", "storage unit"). Stop words, proper nouns (people's names never become a topic),
 * numbers and punctuation end a run.
 */
function nounPhrases(tokens: ReadToken[]): ReadToken[][] {
  const runs: ReadToken[][] = [];
  let run: ReadToken[] = [];
  const flush = () => {
    if (run.length) runs.push(run.slice(-3));
    run = [];
  };
  tokens.forEach((t, i) => {
    const usable = t.word && !t.stop;
    // The tagger reads a noun after "do" as a verb ("do you do wine cellars", "junk removal"): an uninflected
    // "verb" right before a noun that is no common verb is the noun's modifier.
    const modifier =
      t.pos === "VERB" && t.normal === t.lemma && !COMMON_VERBS.has(t.lemma) && tokens[i + 1]?.pos === "NOUN";
    if (usable && (t.pos === "NOUN" || modifier)) run.push(t);
    else if (usable && t.pos === "ADJ") {
      flush();
      run.push(t);
    } else flush();
  });
  flush();
  return runs.map((r) => r.filter((t, i) => t.pos !== "VERB" || i < r.length - 1));
}

function firstKnown(words: ReadToken[], vocab: CompiledVocabulary): string | null {
  for (const w of words) {
    const known = w.lemma.length >= 3 ? resolvePhrase(w.lemma, vocab) : null;
    if (known) return known;
  }
  return null;
}

/**
 * The part of a message the customer wrote now: an email reply without the quoted thread below it ("On … wrote:",
 * "> " lines, a forwarded original), at most 4,000 characters.
 */
export function ownWords(text: string): string {
  const cut = text.search(/^(On .{0,200}wrote:|-{2,} ?Original Message ?-{2,}|From: .+)$/im);
  const kept = (cut >= 0 ? text.slice(0, cut) : text)
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith(">"))
    .join("\n");
  return kept.slice(0, 4000);
}
