// This example is a separate site that happens to live inside OneThread's repository: this empty hook keeps
// Next.js from picking up OneThread's own instrumentation.ts from the folder above.
export function register() {}
