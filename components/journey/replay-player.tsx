"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { type Replay, type ReplayFrame, useReplay } from "@/components/data/use-journey.ts";
import { LANE_LABELS, type Lane } from "@/lib/timeline/describe-event.ts";
import { Dialog, DialogHeader } from "./dialog.tsx";
import { RungReached } from "./rung-reached.tsx";
import { StepIcon } from "./step-icon.tsx";

const SPEEDS = [0.5, 1, 2, 4] as const;
/** How long one step stays on screen at 1×. */
const STEP_MS = 1800;

const LANE_DOT: Record<Lane, string> = {
  ads: "bg-rose-500",
  web: "bg-sky-500",
  email: "bg-amber-500",
  sms: "bg-cyan-500",
  whatsapp: "bg-emerald-500",
  voice: "bg-teal-500",
  telegram: "bg-blue-500",
  webchat: "bg-indigo-500",
  agent: "bg-violet-500",
  payment: "bg-green-600",
};

const RUNG_NAMES = ["Device", "Returning device", "Email", "Phone", "Customer"];

const pct = (i: number, n: number) => (n > 1 ? (i / (n - 1)) * 100 : 50);

/** The lanes a journey travelled through, in order, consecutive steps in one lane counted as one. */
function pathOf(frames: ReplayFrame[]) {
  const path: { lane: Lane; from: number }[] = [];
  frames.forEach((f, i) => {
    if (path.at(-1)?.lane !== f.lane) path.push({ lane: f.lane, from: i });
  });
  return path;
}

function Icon({ d, className = "size-5" }: { d: string; className?: string }) {
  return (
    <svg aria-hidden viewBox="0 0 24 24" className={className} fill="currentColor">
      <path d={d} />
    </svg>
  );
}

const ICONS = {
  play: "M7 4.5v15l13-7.5z",
  pause: "M6 4h4v16H6zM14 4h4v16h-4z",
  prev: "M6 5h2v14H6zM20 5v14L9 12z",
  next: "M16 5h2v14h-2zM4 5v14l11-7z",
  restart: "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z",
};

function Ladder({
  rung,
  reachedNow,
  replay,
  index,
}: {
  rung: number;
  reachedNow: number | null;
  replay: Replay;
  index: number;
}) {
  return (
    <div aria-label="Identity ladder" role="img" className="rounded-2xl bg-slate-50 p-3 ring-1 ring-slate-200 sm:p-4">
      <p className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">Identity ladder</p>
      {/* Phones: five segments across. */}
      <ol className="grid grid-cols-5 gap-1 lg:hidden">
        {RUNG_NAMES.map((label, r) => (
          <li key={label} className="min-w-0 text-center">
            <span
              className={`block h-2 rounded-full transition-colors duration-500 ${r <= rung ? "bg-brand-600" : "bg-slate-200"} ${reachedNow === r ? "animate-pulse" : ""}`}
            />
            <span
              className={`mt-1 block truncate text-[10px] ${r === rung ? "font-semibold text-brand-700" : "text-slate-500"}`}
            >
              {r} {label.split(" ")[0]}
            </span>
          </li>
        ))}
      </ol>
      {/* Wide screens: the ladder climbs. */}
      <ol className="hidden flex-col-reverse gap-2 lg:flex">
        {RUNG_NAMES.map((label, r) => {
          const at = replay.rungs[r]?.frame;
          const reached = at !== null && at !== undefined && at <= index;
          return (
            <li
              key={label}
              className={`flex items-center gap-3 rounded-xl px-2.5 py-2 transition-all duration-500 ${r === rung ? "bg-white shadow-sm ring-1 ring-brand-100" : ""}`}
            >
              <span
                className={`inline-flex size-8 shrink-0 items-center justify-center rounded-full text-sm font-bold transition-all duration-500 ${reached ? "bg-brand-600 text-white" : "bg-slate-200 text-slate-500"} ${reachedNow === r ? "scale-110 ring-4 ring-brand-100" : ""}`}
              >
                {r}
              </span>
              <span className="min-w-0">
                <span className={`block text-sm ${reached ? "font-semibold text-slate-900" : "text-slate-400"}`}>
                  {label}
                </span>
                {reached && at !== null && at !== undefined ? (
                  <span className="block text-[11px] text-slate-500">{replay.frames[at]?.when}</span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Lanes({ replay, index, onSeek }: { replay: Replay; index: number; onSeek: (i: number) => void }) {
  const n = replay.frames.length;
  const outcome = replay.outcome;
  const head = `${pct(index, n)}%`;
  return (
    <section className="rounded-2xl bg-white p-3 ring-1 ring-slate-200 sm:p-4" aria-label="Channel lanes">
      <div className="space-y-1">
        {replay.lanes.map(({ lane, label }) => (
          <div
            key={lane}
            className="grid grid-cols-[4.5rem_minmax(0,1fr)] items-center gap-2 sm:grid-cols-[6rem_minmax(0,1fr)]"
          >
            <span className="truncate text-xs text-slate-600">{label}</span>
            <div className="relative mx-2 h-6">
              <span aria-hidden className="absolute top-1/2 left-0 h-px w-full bg-slate-200" />
              <span
                aria-hidden
                className="absolute top-0 h-full w-0.5 -translate-x-1/2 bg-brand-600/70 transition-all duration-300"
                style={{ left: head }}
              />
              {replay.frames.map((f, i) =>
                f.lane === lane ? (
                  <button
                    type="button"
                    key={f.id}
                    onClick={() => onSeek(i)}
                    aria-label={`Step ${i + 1}: ${f.title}`}
                    className={`absolute top-1/2 -translate-x-1/2 -translate-y-1/2 rounded-full transition-all duration-300 ${i <= index ? LANE_DOT[lane] : "bg-white ring-1 ring-slate-300"} ${i === index ? "size-4 ring-4 ring-brand-100" : "size-2.5"}`}
                    style={{ left: `${pct(i, n)}%` }}
                  />
                ) : null,
              )}
            </div>
          </div>
        ))}
      </div>
      {outcome ? (
        <div className="relative mt-1 ml-[4.5rem] h-5 sm:ml-[6rem]" aria-hidden>
          <div className="relative mx-2 h-full">
            <span
              className={`absolute top-0 -translate-x-1/2 rounded px-1 text-[10px] font-semibold whitespace-nowrap ${outcome.kind === "converted" ? "bg-green-100 text-green-800" : "bg-red-100 text-red-700"}`}
              style={{ left: `${Math.min(92, Math.max(8, pct(outcome.frame, n)))}%` }}
            >
              {outcome.kind === "converted" ? "▲ Paid" : "▲ Drop-off"}
            </span>
          </div>
        </div>
      ) : null}
    </section>
  );
}

/** The steps around the current one: where the story has been and where it goes next. */
function Story({ replay, index, onSeek }: { replay: Replay; index: number; onSeek: (i: number) => void }) {
  const from = Math.max(0, Math.min(index - 3, replay.frames.length - 6));
  const shown = replay.frames.slice(from, from + 6);
  return (
    <ol className="space-y-0.5 rounded-2xl bg-white p-2 ring-1 ring-slate-200" aria-label="Steps">
      {shown.map((f, k) => {
        const i = from + k;
        return (
          <li key={f.id}>
            <button
              type="button"
              onClick={() => onSeek(i)}
              aria-current={i === index ? "step" : undefined}
              className={`flex w-full items-center gap-2.5 rounded-lg px-2 py-1.5 text-left text-sm transition-colors ${i === index ? "bg-brand-50 font-semibold text-slate-900" : i < index ? "text-slate-700 hover:bg-slate-50" : "text-slate-400 hover:bg-slate-50"}`}
            >
              <span className="w-16 shrink-0 font-mono text-[11px] text-slate-500">{f.offset}</span>
              <StepIcon step={f.step} size="sm" />
              <span className="min-w-0 flex-1 truncate">{f.title}</span>
              {f.reached !== null && f.reached > 0 ? (
                <span className="shrink-0 rounded-full bg-brand-600 px-1.5 text-[10px] font-bold text-white">
                  {f.reached}
                </span>
              ) : null}
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function Stage({ frame, replay, index }: { frame: ReplayFrame; replay: Replay; index: number }) {
  const outcome = replay.outcome;
  // A payment stays said from the step it happened on; a drop-off is the journey's last step.
  const atOutcome = outcome && (outcome.kind === "converted" ? index >= outcome.frame : index === outcome.frame);
  return (
    <div
      key={frame.id}
      className="motion-safe:animate-[replay-in_400ms_ease-out] rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5"
      data-testid="replay-stage"
    >
      <div className="flex items-start gap-3">
        <StepIcon step={frame.step} size="lg" />
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-500">
            <span className="rounded-md bg-slate-900 px-1.5 py-0.5 font-mono font-semibold text-white">
              {frame.offset}
            </span>
            <span>{frame.when}</span>
            <span className="rounded-full bg-slate-100 px-2 py-0.5">{LANE_LABELS[frame.lane]}</span>
            {frame.count > 1 ? <span>{frame.count} signals</span> : null}
          </p>
          <p className="mt-1.5 text-lg leading-snug font-semibold text-slate-900 sm:text-xl" aria-live="polite">
            {frame.title}
          </p>
        </div>
      </div>
      {frame.text ? (
        <p className="mt-3 whitespace-pre-wrap break-words rounded-2xl rounded-tl-sm bg-slate-100 px-4 py-3 text-sm text-slate-800">
          {frame.text}
        </p>
      ) : null}
      {frame.facts.length ? (
        <ul className="mt-3 flex flex-wrap gap-1.5 text-xs">
          {frame.facts.slice(0, 6).map((f) => (
            <li key={`${f.label}-${f.value}`} className="max-w-full break-words rounded-full bg-slate-100 px-2 py-0.5">
              <span className="text-slate-500">{f.label}</span> {f.value}
            </li>
          ))}
        </ul>
      ) : null}
      {frame.reached !== null ? (
        <p className="mt-3">
          <RungReached rung={frame.reached} />
        </p>
      ) : null}
      {atOutcome ? (
        <p
          data-testid="replay-outcome"
          className={`mt-3 rounded-xl px-3 py-2 text-sm font-medium ${outcome.kind === "converted" ? "bg-green-50 text-green-800 ring-1 ring-green-200" : "bg-red-50 text-red-800 ring-1 ring-red-200"}`}
        >
          {outcome.kind === "converted" ? `Converted at step ${outcome.frame + 1}: ` : "Drop-off: "}
          {outcome.label}
        </p>
      ) : null}
    </div>
  );
}

function Player({
  slug,
  profileId,
  name,
  onClose,
}: {
  slug: string;
  profileId: string;
  name: string;
  onClose: () => void;
}) {
  const replay = useReplay(slug, profileId, true);
  const frames = replay.data?.frames ?? [];
  const n = frames.length;
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(true);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(1);
  const atEnd = n > 0 && index >= n - 1;

  useEffect(() => {
    if (!playing || !n) return;
    if (index >= n - 1) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => setIndex((i) => Math.min(i + 1, n - 1)), STEP_MS / speed);
    return () => clearTimeout(t);
  }, [playing, index, speed, n]);

  const step = useCallback(
    (by: number) => {
      setPlaying(false);
      setIndex((i) => Math.max(0, Math.min(n - 1, i + by)));
    },
    [n],
  );
  const toggle = useCallback(() => {
    if (atEnd) {
      setIndex(0);
      setPlaying(true);
    } else setPlaying((p) => !p);
  }, [atEnd]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A focused control answers its own keys (Space on a button clicks it).
      if ((e.target as HTMLElement | null)?.closest("button, a, input, select, textarea")) return;
      if (e.key === " ") {
        e.preventDefault();
        toggle();
      } else if (e.key === "ArrowRight") step(1);
      else if (e.key === "ArrowLeft") step(-1);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toggle, step]);

  const seek = (i: number) => {
    setPlaying(false);
    setIndex(i);
  };
  const restart = () => {
    setIndex(0);
    setPlaying(true);
  };
  const path = useMemo(() => pathOf(frames), [frames]);
  const frame = frames[index];
  const reachedNow = frame?.reached ?? null;

  return (
    <div className="flex min-h-full flex-col">
      <DialogHeader id="replay-title" title={`Replay · ${name}`} onClose={onClose} />
      {replay.isPending ? (
        <p className="p-6 text-sm text-slate-500">Stitching the journey…</p>
      ) : replay.isError || !replay.data ? (
        <p className="p-6 text-sm text-red-600">The replay could not be loaded.</p>
      ) : !frame ? (
        <p className="p-6 text-sm text-slate-500">Nothing to replay yet.</p>
      ) : (
        <>
          <div className="flex-1 space-y-3 bg-slate-50/60 px-3 py-4 sm:px-6">
            <ol className="flex flex-wrap items-center gap-1 text-[11px]" aria-label="The path so far">
              {path.slice(0, 14).map((p, k) => (
                <li key={`${p.lane}-${p.from}`} className="flex items-center gap-1">
                  {k ? <span className="text-slate-300">→</span> : null}
                  <span
                    className={`rounded-full px-2 py-0.5 transition-colors duration-300 ${p.from <= index ? "bg-slate-900 text-white" : "bg-white text-slate-400 ring-1 ring-slate-200"}`}
                  >
                    {LANE_LABELS[p.lane]}
                  </span>
                </li>
              ))}
              {path.length > 14 ? <li className="text-slate-400">…</li> : null}
            </ol>
            <div className="grid gap-3 lg:grid-cols-[minmax(0,1fr)_15rem]">
              <div className="order-2 min-w-0 space-y-3 lg:order-1">
                <Stage frame={frame} replay={replay.data} index={index} />
                <Lanes replay={replay.data} index={index} onSeek={seek} />
                <Story replay={replay.data} index={index} onSeek={seek} />
                {replay.data.truncated ? (
                  <p className="text-xs text-slate-500">
                    Replaying the first {n.toLocaleString("en-US")} steps of {replay.data.total.toLocaleString("en-US")}{" "}
                    signals.
                  </p>
                ) : null}
              </div>
              <div className="order-1 lg:order-2">
                <Ladder rung={frame.rung} reachedNow={reachedNow} replay={replay.data} index={index} />
              </div>
            </div>
          </div>
          <div className="sticky bottom-0 border-t border-slate-200 bg-white px-3 py-3 sm:px-6">
            <input
              type="range"
              min={0}
              max={Math.max(0, n - 1)}
              value={index}
              onChange={(e) => {
                setPlaying(false);
                setIndex(Number(e.target.value));
              }}
              aria-label="Position in the journey"
              className="mb-2 w-full accent-brand-600"
            />
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div className="flex items-center gap-1">
                <button
                  type="button"
                  onClick={restart}
                  aria-label="Restart"
                  className="rounded-lg p-2 text-slate-600 hover:bg-slate-100"
                >
                  <Icon d={ICONS.restart} />
                </button>
                <button
                  type="button"
                  onClick={() => step(-1)}
                  disabled={index === 0}
                  aria-label="Previous step"
                  className="rounded-lg p-2 text-slate-600 hover:bg-slate-100 disabled:opacity-30"
                >
                  <Icon d={ICONS.prev} />
                </button>
                <button
                  type="button"
                  onClick={toggle}
                  aria-label={playing ? "Pause" : atEnd ? "Play again" : "Play"}
                  className="inline-flex size-11 items-center justify-center rounded-full bg-brand-600 text-white shadow-md hover:bg-brand-700"
                >
                  <Icon d={playing ? ICONS.pause : ICONS.play} className="size-6" />
                </button>
                <button
                  type="button"
                  onClick={() => step(1)}
                  disabled={atEnd}
                  aria-label="Next step"
                  className="rounded-lg p-2 text-slate-600 hover:bg-slate-100 disabled:opacity-30"
                >
                  <Icon d={ICONS.next} />
                </button>
              </div>
              <p className="text-xs tabular-nums text-slate-600" data-testid="replay-position">
                Step {(index + 1).toLocaleString("en-US")} of {n.toLocaleString("en-US")}
              </p>
              <fieldset className="flex items-center gap-0.5 rounded-lg bg-slate-100 p-0.5 text-xs" aria-label="Speed">
                {SPEEDS.map((s) => (
                  <button
                    key={s}
                    type="button"
                    onClick={() => setSpeed(s)}
                    aria-pressed={speed === s}
                    className={`rounded-md px-2 py-1 font-medium ${speed === s ? "bg-white text-slate-900 shadow-sm" : "text-slate-500"}`}
                  >
                    {s}×
                  </button>
                ))}
              </fieldset>
            </div>
          </div>
        </>
      )}
    </div>
  );
}

/**
 * One-click replay: the stitched journey played step by step — ad → page → form → email → WhatsApp →
 * deposit — with the ladder climbing beside it, the channel lanes filling in, play/pause/step and speed, and
 * the drop-off marked where a journey stopped short of paying.
 */
export function ReplayButton({ slug, profileId, name }: { slug: string; profileId: string; name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="inline-flex items-center gap-2 rounded-full bg-slate-900 py-2 pr-4 pl-2.5 text-sm font-semibold text-white shadow-md transition hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <span className="inline-flex size-6 items-center justify-center rounded-full bg-white text-slate-900">
          <Icon d={ICONS.play} className="size-3.5" />
        </span>
        Replay
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} wide title="Replay" labelledBy="replay-title">
        <Player slug={slug} profileId={profileId} name={name} onClose={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
