import Sentiment from "sentiment";
import labels from "sentiment/languages/en/labels.json";

/**
 * Sentiment of what a customer wrote (decision 019): AFINN-165 word scores (−5…5) through the `sentiment`
 * package, with negation widened. The package flips a word only right after "not", "don't", "can't" and a few
 * more ("I didn't love it" scored +3); here a word is flipped when one of the three words before it in the same
 * sentence is a negator, the full list below, unless a "but" stands between.
 */
const NEGATORS = new Set(
  `not no never none nobody nothing neither nor cannot cant can't dont don't doesnt doesn't didnt didn't isnt
  isn't wasnt wasn't arent aren't werent weren't wont won't wouldnt wouldn't shouldnt shouldn't couldnt couldn't
  havent haven't hasnt hasn't hadnt hadn't aint ain't without hardly barely non`.split(/\s+/),
);
const BREAKS = new Set(["but", "however", "although", "though", "yet"]);
const WINDOW = 3;

const LANGUAGE = "en-negation";
const engine = new Sentiment();
engine.registerLanguage(LANGUAGE, {
  labels: labels as Record<string, number>,
  scoringStrategy: {
    apply(tokens: string[], cursor: number, tokenScore: number) {
      for (let i = cursor - 1; i >= 0 && i >= cursor - WINDOW; i--) {
        const t = tokens[i] ?? "";
        if (BREAKS.has(t)) break;
        if (NEGATORS.has(t)) return -tokenScore;
      }
      return tokenScore;
    },
  },
});

export interface SentenceScore {
  text: string;
  /** Sum of the AFINN scores of its words, negation applied. */
  score: number;
  /** How many of its words carry a score. */
  scored: number;
}

/** Sentences: split after . ! ? and at line breaks. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}

export function scoreSentence(text: string): SentenceScore {
  const r = engine.analyze(text, { language: LANGUAGE });
  return { text, score: r.score, scored: r.words.length };
}

export interface TextSentiment {
  /**
   * −1…1: the mean AFINN score of the words that carry one, divided by 5 (AFINN's largest magnitude), so "not
   * happy" (−3) is −0.6 and "great, thanks" ((3 + 2) / 2) is 0.5. 0 when no word carries a score.
   */
  sentiment: number;
  score: number;
  scored: number;
  /** The sentence with the largest absolute score (ties: the later one), null when none scored. */
  quote: string | null;
  sentences: SentenceScore[];
}

/** The sentiment of several texts taken together (a customer's messages around a refund), oldest first. */
export function sentimentOf(texts: readonly string[]): TextSentiment {
  const sentences = texts.flatMap((t) => sentencesOf(t).map(scoreSentence));
  let score = 0;
  let scored = 0;
  let best: SentenceScore | null = null;
  for (const s of sentences) {
    score += s.score;
    scored += s.scored;
    if (s.score !== 0 && (!best || Math.abs(s.score) >= Math.abs(best.score))) best = s;
  }
  const sentiment = scored ? Math.max(-1, Math.min(1, score / (5 * scored))) : 0;
  return { sentiment: Math.round(sentiment * 100) / 100, score, scored, quote: best?.text ?? null, sentences };
}
