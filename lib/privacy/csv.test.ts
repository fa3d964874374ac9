import { expect, test } from "vitest";
import { csvCell, csvLine } from "./csv.ts";

test("RFC 4180: commas, quotes and line breaks are quoted, quotes doubled", () => {
  expect(csvCell("plain")).toBe("plain");
  expect(csvCell("a,b")).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell("two\nlines")).toBe('"two\nlines"');
  expect(csvCell("cr\r\nlf")).toBe('"cr\r\nlf"');
  expect(csvLine(["a", 1, null, "b,c"])).toBe('a,1,,"b,c"\r\n');
});

test("formula injection: text starting with = + - @ tab or CR is prefixed with an apostrophe", () => {
  expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
  expect(csvCell("+1 805 555 0100")).toBe("'+1 805 555 0100");
  expect(csvCell("-2+3")).toBe("'-2+3");
  expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  expect(csvCell("\tx")).toBe("'\tx");
  expect(csvCell("a=b")).toBe("a=b");
});

test("numbers, booleans, dates and objects", () => {
  expect(csvCell(-5)).toBe("-5");
  expect(csvCell(true)).toBe("true");
  expect(csvCell(new Date("2026-11-02T10:00:00Z"))).toBe("2026-11-02T10:00:00.000Z");
  expect(csvCell({ a: 1, b: "x,y" })).toBe('"{""a"":1,""b"":""x,y""}"');
  expect(csvCell(undefined)).toBe("");
});
