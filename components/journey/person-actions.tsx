"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import { useMergeCandidates, usePersonActions } from "@/components/data/use-journey.ts";
import { RUNG_LABELS } from "@/components/people/format.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Dialog, DialogHeader } from "./dialog.tsx";

export interface ActionIdentifier {
  id: string;
  type: string;
  value: string | null;
  firstSeen: string;
}

type Open = "split" | "merge" | "erase" | "opt-outs" | null;

/** The switches of the opt-out dialog, in the API's channel names (lib/privacy/opt-out.ts). */
const OPT_OUTS = [
  { channel: "email", label: "Email", hint: "No email from you, marketing or transactional." },
  { channel: "sms", label: "SMS", hint: "No text messages." },
  { channel: "whatsapp", label: "WhatsApp", hint: "No WhatsApp messages." },
  {
    channel: "tracking",
    label: "Tracking",
    hint: "Their visits, opens and clicks are still counted, but tied to nobody.",
  },
  { channel: "all", label: "Everything", hint: "No messages on any channel, and nothing they do is stored." },
] as const;

const message = (e: unknown) => (e instanceof Error ? e.message : "Something went wrong.");

function ExportMenu({ slug, profileId, onDone }: { slug: string; profileId: string; onDone: () => void }) {
  const { exportFile } = usePersonActions(slug, profileId);
  const download = async (format: "json" | "csv") => {
    const { blob, name } = await exportFile.mutateAsync(format);
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    onDone();
  };
  return (
    <fieldset className="flex items-center gap-1" aria-label="Export">
      <Button variant="secondary" onClick={() => download("json")} disabled={exportFile.isPending}>
        Export JSON
      </Button>
      <Button variant="secondary" onClick={() => download("csv")} disabled={exportFile.isPending}>
        CSV
      </Button>
    </fieldset>
  );
}

function SplitDialog({
  slug,
  profileId,
  identifiers,
  onClose,
}: {
  slug: string;
  profileId: string;
  identifiers: ActionIdentifier[];
  onClose: () => void;
}) {
  const router = useRouter();
  const { split } = usePersonActions(slug, profileId);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const all = picked.size >= identifiers.length;
  const submit = async () => {
    const res = await split.mutateAsync([...picked]);
    setDone(res.profileId);
    router.refresh();
  };
  return (
    <>
      <DialogHeader id="split-title" title="Split this person" onClose={onClose} />
      <div className="space-y-4 px-4 py-5 sm:px-6">
        {done ? (
          <>
            <Alert tone="success">
              Split off into a new person. The identifiers you picked, and the events that came with them, are theirs
              now.
            </Alert>
            <div className="flex gap-2">
              <Button onClick={() => router.push(`/app/${slug}/people/${done}`)}>Open the new person</Button>
              <Button variant="secondary" onClick={onClose}>
                Stay here
              </Button>
            </div>
          </>
        ) : (
          <>
            <p className="text-sm text-slate-600">
              Two people were joined by mistake? Pick the identifiers that belong to the other person. They move to a
              new person with exactly the events that arrived with them; both ladders are worked out again (R16).
            </p>
            <fieldset className="space-y-1.5">
              <legend className="mb-1 text-sm font-medium">Identifiers to split off</legend>
              {identifiers.map((i) => (
                <label
                  key={i.id}
                  className="flex items-center gap-3 rounded-lg px-2 py-1.5 ring-1 ring-slate-200 hover:bg-slate-50"
                >
                  <input
                    type="checkbox"
                    checked={picked.has(i.id)}
                    onChange={(e) =>
                      setPicked((s) => {
                        const next = new Set(s);
                        if (e.target.checked) next.add(i.id);
                        else next.delete(i.id);
                        return next;
                      })
                    }
                    className="size-4 accent-brand-600"
                  />
                  <span className="w-16 shrink-0 text-xs text-slate-500">{i.type}</span>
                  <span className="min-w-0 flex-1 truncate text-sm">
                    {i.value ?? `Device first seen ${i.firstSeen}`}
                  </span>
                </label>
              ))}
            </fieldset>
            {all ? <Alert tone="warning">Keep at least one identifier with this person.</Alert> : null}
            {split.isError ? <Alert tone="error">{message(split.error)}</Alert> : null}
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button onClick={submit} disabled={!picked.size || all || split.isPending}>
                {split.isPending
                  ? "Splitting…"
                  : `Split off ${picked.size || ""} ${picked.size === 1 ? "identifier" : "identifiers"}`}
              </Button>
            </div>
          </>
        )}
      </div>
    </>
  );
}

function MergeDialog({ slug, profileId, onClose }: { slug: string; profileId: string; onClose: () => void }) {
  const router = useRouter();
  const { merge } = usePersonActions(slug, profileId);
  const [q, setQ] = useState("");
  const [debounced, setDebounced] = useState("");
  const [pick, setPick] = useState<string | null>(null);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(t);
  }, [q]);
  const found = useMergeCandidates(slug, profileId, debounced);
  const chosen = found.data?.people.find((p) => p.id === pick) ?? null;
  const listId = useId();
  const submit = async () => {
    if (!pick) return;
    const res = await merge.mutateAsync(pick);
    onClose();
    if (res.profileId !== profileId) router.push(`/app/${slug}/people/${res.profileId}`);
    else router.refresh();
  };
  return (
    <>
      <DialogHeader id="merge-title" title="Merge with another person" onClose={onClose} />
      <div className="space-y-4 px-4 py-5 sm:px-6">
        <p className="text-sm text-slate-600">
          The same customer under two records? Find the other one. Everything of both — identifiers, events,
          conversations — ends up on one person: the one with a customer number, else the older (R5d, R6).
        </p>
        <Field
          label="Find a person by name, email or phone"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPick(null);
          }}
          placeholder="jo@example.com"
          aria-controls={listId}
          autoFocus
        />
        <ul id={listId} className="max-h-64 space-y-1 overflow-y-auto" aria-label="Matching people">
          {found.isFetching && !found.data ? <li className="text-sm text-slate-500">Searching…</li> : null}
          {found.data && !found.data.people.length ? <li className="text-sm text-slate-500">Nobody matches.</li> : null}
          {found.data?.people.map((p) => (
            <li key={p.id}>
              <label
                className={`flex cursor-pointer items-center gap-3 rounded-lg px-2.5 py-2 ring-1 ${pick === p.id ? "bg-brand-50 ring-brand-500" : "ring-slate-200 hover:bg-slate-50"}`}
              >
                <input
                  type="radio"
                  name="merge-with"
                  checked={pick === p.id}
                  onChange={() => setPick(p.id)}
                  className="accent-brand-600"
                />
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-sm font-medium">
                    {p.name ?? p.email ?? p.phone ?? "Anonymous visitor"}
                  </span>
                  <span className="block truncate text-xs text-slate-500">
                    {[p.email, p.phone].filter(Boolean).join(" · ")} · rung {p.rung} {RUNG_LABELS[p.rung]}
                    {p.customerNumber ? ` · Customer #${p.customerNumber}` : ""} · {p.eventCount} signals
                  </span>
                </span>
              </label>
            </li>
          ))}
        </ul>
        {merge.isError ? <Alert tone="error">{message(merge.error)}</Alert> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} disabled={!chosen || merge.isPending}>
            {merge.isPending ? "Merging…" : chosen ? `Merge with ${chosen.name ?? chosen.email ?? "them"}` : "Merge"}
          </Button>
        </div>
      </div>
    </>
  );
}

function OptOutDialog({
  slug,
  profileId,
  name,
  optedOutOf,
  onClose,
}: {
  slug: string;
  profileId: string;
  name: string;
  optedOutOf: readonly string[];
  onClose: () => void;
}) {
  const router = useRouter();
  const { optOuts } = usePersonActions(slug, profileId);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set(optedOutOf));
  const optOut = [...picked].filter((c) => !optedOutOf.includes(c));
  const optIn = optedOutOf.filter((c) => !picked.has(c));
  const submit = async () => {
    await optOuts.mutateAsync({ optOut, optIn });
    onClose();
    router.refresh();
  };
  return (
    <>
      <DialogHeader id="opt-outs-title" title={`Opt-outs of ${name}`} onClose={onClose} />
      <div className="space-y-4 px-4 py-5 sm:px-6">
        <p className="text-sm text-slate-600">
          They asked you directly to stop? Tick what they opted out of. It holds at once for every address and device
          they have, and is logged as a privacy request (P7, P12).
        </p>
        <fieldset className="space-y-1.5">
          <legend className="mb-1 text-sm font-medium">Opted out of</legend>
          {OPT_OUTS.map((o) => (
            <label
              key={o.channel}
              className="flex items-start gap-3 rounded-lg px-2.5 py-2 ring-1 ring-slate-200 hover:bg-slate-50"
            >
              <input
                type="checkbox"
                name="opt-out"
                value={o.channel}
                checked={picked.has(o.channel)}
                onChange={(e) =>
                  setPicked((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(o.channel);
                    else next.delete(o.channel);
                    return next;
                  })
                }
                className="mt-0.5 size-4 accent-brand-600"
              />
              <span className="min-w-0">
                <span className="block text-sm font-medium">{o.label}</span>
                <span className="block text-xs text-slate-500">{o.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {optOuts.isError ? <Alert tone="error">{message(optOuts.error)}</Alert> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={submit} disabled={(!optOut.length && !optIn.length) || optOuts.isPending}>
            {optOuts.isPending ? "Saving…" : "Save opt-outs"}
          </Button>
        </div>
      </div>
    </>
  );
}

function EraseDialog({
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
  const router = useRouter();
  const { erase } = usePersonActions(slug, profileId);
  const [typed, setTyped] = useState("");
  const ok = typed.trim().toLowerCase() === "erase";
  const submit = async () => {
    await erase.mutateAsync(typed.trim().toLowerCase());
    onClose();
    router.refresh();
  };
  const fieldError = erase.error instanceof ApiError ? erase.error.field("confirm") : null;
  return (
    <>
      <DialogHeader id="erase-title" title={`Erase ${name}`} onClose={onClose} />
      <div className="space-y-4 px-4 py-5 sm:px-6">
        <Alert tone="warning">
          This removes the person for good: their identifiers, every event, every message and everything derived from
          them (R17). It cannot be undone. Later signals with the same email or phone start a new person.
        </Alert>
        <Field
          label='Type "erase" to confirm'
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          error={fieldError}
        />
        {erase.isError && !fieldError ? <Alert tone="error">{message(erase.error)}</Alert> : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" onClick={submit} disabled={!ok || erase.isPending}>
            {erase.isPending ? "Erasing…" : "Erase everything"}
          </Button>
        </div>
      </div>
    </>
  );
}

/** Export, Split, Merge, Opt-outs and Erase of the person page, each through the owner API and then shown on the page. */
export function PersonActions({
  slug,
  profileId,
  name,
  identifiers,
  optedOutOf,
  canErase,
}: {
  slug: string;
  profileId: string;
  name: string;
  identifiers: ActionIdentifier[];
  optedOutOf: readonly string[];
  canErase: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ExportMenu slug={slug} profileId={profileId} onDone={() => router.refresh()} />
      <Button variant="secondary" onClick={() => setOpen("split")} disabled={identifiers.length < 2}>
        Split
      </Button>
      <Button variant="secondary" onClick={() => setOpen("merge")}>
        Merge
      </Button>
      <Button variant="secondary" onClick={() => setOpen("opt-outs")}>
        Opt-outs
      </Button>
      {canErase ? (
        <Button variant="danger" onClick={() => setOpen("erase")}>
          Erase
        </Button>
      ) : null}
      <Dialog open={open === "split"} onClose={close} title="Split" labelledBy="split-title">
        <SplitDialog slug={slug} profileId={profileId} identifiers={identifiers} onClose={close} />
      </Dialog>
      <Dialog open={open === "merge"} onClose={close} title="Merge" labelledBy="merge-title">
        <MergeDialog slug={slug} profileId={profileId} onClose={close} />
      </Dialog>
      <Dialog open={open === "opt-outs"} onClose={close} title="Opt-outs" labelledBy="opt-outs-title">
        <OptOutDialog slug={slug} profileId={profileId} name={name} optedOutOf={optedOutOf} onClose={close} />
      </Dialog>
      <Dialog open={open === "erase"} onClose={close} title="Erase" labelledBy="erase-title">
        <EraseDialog slug={slug} profileId={profileId} name={name} onClose={close} />
      </Dialog>
    </div>
  );
}
