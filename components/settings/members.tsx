"use client";

import { type FormEvent, useState } from "react";
import { ApiError } from "@/components/data/fetch-json.ts";
import { useInviteMember, useMembers } from "@/components/data/use-workspace-admin.ts";
import { Button } from "@/components/ui/button.tsx";
import { Alert } from "@/components/ui/card.tsx";
import { Field, SelectField } from "@/components/ui/field.tsx";

export function Members({ slug, canInvite }: { slug: string; canInvite: boolean }) {
  const members = useMembers(slug);
  const invite = useInviteMember(slug);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"member" | "owner">("member");
  const error = invite.error instanceof ApiError ? invite.error : null;

  function submit(e: FormEvent) {
    e.preventDefault();
    invite.mutate({ email, role }, { onSuccess: () => setEmail("") });
  }

  return (
    <div className="space-y-6">
      {canInvite ? (
        <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="min-w-0 flex-1">
            <Field
              label="Invite by email"
              name="inviteEmail"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              error={error?.field("email") ?? (error && !error.details.length ? error.message : null)}
            />
          </div>
          <div className="sm:w-36">
            <SelectField
              label="Role"
              name="role"
              value={role}
              onChange={(e) => setRole(e.target.value as "member" | "owner")}
            >
              <option value="member">Member</option>
              <option value="owner">Owner</option>
            </SelectField>
          </div>
          <Button type="submit" disabled={invite.isPending}>
            Send invitation
          </Button>
        </form>
      ) : null}
      {invite.isSuccess ? <Alert tone="success">Invitation sent.</Alert> : null}
      <ul className="divide-y divide-slate-100">
        {members.data?.members.map((m) => (
          <li key={m.user.id} className="flex items-center justify-between gap-3 py-2.5 text-sm">
            <span className="flex min-w-0 flex-wrap gap-x-2">
              <span className="font-medium">{m.user.name || m.user.email}</span>
              {m.user.name ? <span className="break-all text-slate-500">{m.user.email}</span> : null}
            </span>
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs capitalize text-slate-600">{m.role}</span>
          </li>
        ))}
        {members.data?.invitations.map((i) => (
          <li key={i.id} className="flex flex-wrap items-center justify-between gap-x-3 py-2.5 text-sm text-slate-500">
            <span className="min-w-0 break-all">{i.email}</span>
            <span className="text-xs">
              invited · {i.role} · expires {new Date(i.expiresAt).toLocaleDateString("en-US", { dateStyle: "medium" })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
