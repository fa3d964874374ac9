"use client";

import { type FormEvent, useRef, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field, SelectField } from "@/components/ui/field.tsx";

type What = "events" | "profiles" | "conversations";
type Format = "csv" | "ndjson" | "json";

type Progress =
  | { phase: "idle" }
  | { phase: "running"; rows: number; total: number | null; bytes: number }
  | { phase: "done"; filename: string; bytes: number; rows: number }
  | { phase: "error"; message: string }
  | { phase: "cancelled" };

const WHAT_LABELS: Record<What, string> = {
  events: "Events (every signal)",
  profiles: "Customers (people)",
  conversations: "Conversations (every message and call)",
};

const n = (v: number) => v.toLocaleString("en-US");
export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** Lines before the first row: the CSV header; the JSON document's head shares no line with a row. */
const rowsFromLines = (format: Format, lines: number) => Math.max(0, format === "csv" ? lines - 1 : lines);

/**
 * Settings → Data's export: what, format and an optional date range, then the download streamed by the page —
 * the total counted by the server up front (`X-Export-Count`), rows and bytes as they arrive — and saved
 * as the file the server names. A plain link downloads the same file through the browser's own manager.
 */
export function WorkspaceExport({ slug, canExport }: { slug: string; canExport: boolean }) {
  const [what, setWhat] = useState<What>("events");
  const [format, setFormat] = useState<Format>("csv");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [progress, setProgress] = useState<Progress>({ phase: "idle" });
  const abort = useRef<AbortController | null>(null);

  const params = new URLSearchParams({ what, format });
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  const url = `/api/app/${slug}/export?${params}`;

  async function start(e: FormEvent) {
    e.preventDefault();
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ phase: "running", rows: 0, total: null, bytes: 0 });
    try {
      const res = await fetch(url, { signal: controller.signal });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new Error(body?.error?.message ?? `The server answered ${res.status}.`);
      }
      const total = Number(res.headers.get("x-export-count") ?? Number.NaN);
      const filename =
        /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `export.${format}`;
      const reader = res.body.getReader();
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      let lines = 0;
      let painted = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value as Uint8Array<ArrayBuffer>);
        bytes += value.length;
        for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
        if (performance.now() - painted > 100) {
          painted = performance.now();
          const rows = rowsFromLines(format, lines);
          setProgress({ phase: "running", rows: Number.isFinite(total) ? Math.min(rows, total) : rows, total, bytes });
        }
      }
      const rows = Number.isFinite(total)
        ? Math.min(rowsFromLines(format, lines), total)
        : rowsFromLines(format, lines);
      const href = URL.createObjectURL(new Blob(parts, { type: res.headers.get("content-type") ?? undefined }));
      const a = document.createElement("a");
      a.href = href;
      a.download = filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      setProgress({ phase: "done", filename, bytes, rows });
    } catch (error) {
      if (controller.signal.aborted) setProgress({ phase: "cancelled" });
      else setProgress({ phase: "error", message: (error as Error).message || "The export failed." });
    } finally {
      abort.current = null;
    }
  }

  const running = progress.phase === "running";
  return (
    <form onSubmit={start} className="space-y-4">
      {!canExport ? <Alert tone="info">Only an owner can export the workspace's data.</Alert> : null}
      <fieldset disabled={!canExport || running} className="grid gap-4 sm:grid-cols-2">
        <SelectField label="What" name="what" value={what} onChange={(e) => setWhat(e.target.value as What)}>
          {(Object.keys(WHAT_LABELS) as What[]).map((w) => (
            <option key={w} value={w}>
              {WHAT_LABELS[w]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Format"
          name="format"
          value={format}
          onChange={(e) => setFormat(e.target.value as Format)}
          hint={format === "csv" ? "Opens in Excel, Numbers or Sheets." : "One JSON object per row, for scripts."}
        >
          <option value="csv">CSV</option>
          <option value="ndjson">NDJSON</option>
          <option value="json">JSON</option>
        </SelectField>
        <Field
          label="From (optional)"
          name="from"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          hint="Days in the workspace's time zone."
        />
        <Field label="To (optional)" name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!canExport || running}>
          {running ? "Exporting…" : "Export"}
        </Button>
        {running ? (
          <Button variant="ghost" onClick={() => abort.current?.abort()}>
            Cancel
          </Button>
        ) : null}
        {canExport && !running ? (
          <a href={url} download className="text-sm font-medium text-brand-700 hover:underline">
            Download directly instead
          </a>
        ) : null}
      </div>
      <ExportProgress progress={progress} />
    </form>
  );
}

function ExportProgress({ progress }: { progress: Progress }) {
  if (progress.phase === "idle") return null;
  if (progress.phase === "error") return <Alert tone="error">{progress.message}</Alert>;
  if (progress.phase === "cancelled") return <Alert tone="warning">Export cancelled.</Alert>;
  if (progress.phase === "done")
    return (
      <Alert tone="success">
        Downloaded <span className="break-all">{progress.filename}</span>: {n(progress.rows)} rows,{" "}
        {formatBytes(progress.bytes)}.
      </Alert>
    );
  const { rows, total, bytes } = progress;
  const known = total !== null && Number.isFinite(total);
  return (
    <div className="space-y-1.5">
      <progress
        aria-label="Export progress"
        className="h-2 w-full overflow-hidden rounded-full [&::-moz-progress-bar]:bg-brand-600 [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-brand-600"
        value={known ? rows : undefined}
        max={known ? Math.max(total, 1) : undefined}
      />
      <p role="status" className="text-sm text-slate-600" data-testid="export-progress">
        {known ? `${n(rows)} of ${n(total)} rows` : `${n(rows)} rows`} · {formatBytes(bytes)}
      </p>
    </div>
  );
}
