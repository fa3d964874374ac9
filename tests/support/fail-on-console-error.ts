import { afterEach, vi } from "vitest";

// STYLE.md 12: a console.error during a test is a bug the test did not see. Tests that expect one spy on
// console.error themselves (vi.spyOn(console, "error").mockImplementation(() => {})), which replaces this.
let errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};
afterEach(() => {
  const seen = errors;
  errors = [];
  if (seen.length && !vi.isMockFunction(console.error)) {
    throw new Error(
      `console.error was called during the test:\n${seen.map((a) => a.map(String).join(" ")).join("\n")}`,
    );
  }
});
