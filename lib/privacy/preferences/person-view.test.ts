import { expect, test } from "vitest";
import { forThePerson } from "./person-view.ts";

test("the journey's owner-facing words are turned round for the person", () => {
  expect(forThePerson("Messaged you on SMS", "Acme")).toBe("You messaged Acme on SMS");
  expect(forThePerson("You messaged them on WhatsApp", "Acme")).toBe("Acme messaged you on WhatsApp");
  expect(forThePerson("Called you — missed", "Acme")).toBe("You called Acme — missed");
  expect(forThePerson("You called them", "Acme")).toBe("Acme called you");
  expect(forThePerson("Booking agent called them", "Acme")).toBe("Booking agent called you");
  expect(forThePerson("Landed on /pricing from Google", "Acme")).toBe("Landed on /pricing from Google");
});
