/**
 * One CSV cell (RFC 4180): a field holding a comma, a double quote, CR or LF is quoted, its quotes doubled.
 * Text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or CR: OWASP's CSV injection
 * list) gets a leading apostrophe, so Excel, LibreOffice and Sheets show it as text. Numbers and booleans are
 * written as they are (a negative amount stays a number); objects and arrays as their JSON.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  const s = typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record, CRLF-terminated as RFC 4180 has it. */
export const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;
