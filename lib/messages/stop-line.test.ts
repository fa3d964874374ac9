import { expect, test } from "vitest";
import { STOP_LINE, withStopLine } from "./stop-line.ts";

test("a marketing message ends with how to stop; a transactional one is sent as written", () => {
  expect(withStopLine("20% off movers this weekend! ", "marketing")).toBe(
    `20% off movers this weekend!\n\n${STOP_LINE}`,
  );
  expect(withStopLine("Your move is booked for Friday 9am.", "transactional")).toBe(
    "Your move is booked for Friday 9am.",
  );
});

test("a body that already says how to stop gets no second line; a mere mention of stopping does", () => {
  for (const body of [
    "Spring sale! Reply STOP to unsubscribe",
    "Sale today. Text END to 12345 to opt out",
    "New slots open — reply with quit to stop these",
    "Offers inside. Send STOPALL to leave",
  ])
    expect(withStopLine(body, "marketing"), body).toBe(body);
  for (const body of ["Don't stop now: 10% off", "Reply YES to book. We never stop moving"])
    expect(withStopLine(body, "marketing"), body).toBe(`${body}\n\n${STOP_LINE}`);
});
