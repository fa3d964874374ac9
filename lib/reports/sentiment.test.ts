import { expect, test } from "vitest";
import { scoreSentence, sentencesOf, sentimentOf } from "./sentiment.ts";

test("negation turns a positive word negative, within three words and the same sentence", () => {
  expect(scoreSentence("I am happy").score).toBe(3);
  expect(scoreSentence("not happy").score).toBe(-3);
  expect(scoreSentence("I am not happy with the move").score).toBe(-3);
  expect(scoreSentence("I didn't love it").score).toBe(-3); // the package alone scores this +3
  expect(scoreSentence("We were never really happy").score).toBe(-3);
  expect(scoreSentence("Not bad at all").score).toBeGreaterThan(0);
  expect(scoreSentence("Not cheap but great").score).toBe(3); // "but" ends the negation
  expect(sentimentOf(["I'm not happy. The movers were great though."]).sentences.map((s) => s.score)).toEqual([-3, 3]);
});

test("the score is the mean AFINN value of the scored words over 5, in −1…1, 0 when nothing scores", () => {
  expect(sentimentOf(["not happy"]).sentiment).toBe(-0.6);
  expect(sentimentOf(["great, thanks"]).sentiment).toBe(0.5); // (3 + 2) / 2 / 5
  expect(sentimentOf(["The box arrived on Tuesday."])).toMatchObject({ sentiment: 0, quote: null });
  const worst = sentimentOf(["This is the worst, most horrible, terrible, awful service ever"]).sentiment;
  expect(worst).toBeGreaterThanOrEqual(-1);
  expect(worst).toBeLessThan(-0.5);
});

test("the quote is the sentence with the largest absolute score, the later one on a tie", () => {
  const r = sentimentOf([
    "Hi, the movers came at 9.",
    "They broke my mirror and scratched the table. I'm furious and disappointed!",
    "Please refund the deposit.",
  ]);
  expect(r.quote).toBe("I'm furious and disappointed!");
  expect(r.sentiment).toBeLessThan(0);
  expect(sentimentOf(["Good.", "Nice."]).quote).toBe("Nice.");
  expect(sentencesOf("One. Two!\nThree? ...")).toEqual(["One.", "Two!", "Three?"]);
});
