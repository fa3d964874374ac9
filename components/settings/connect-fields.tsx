import type { Dispatch, SetStateAction } from "react";
import type { ApiError } from "@/components/data/fetch-json.ts";
import { Alert } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import type { ProviderField } from "./provider-integration.tsx";

/**
 * The inputs of a provider's connect form (secrets as password fields, never prefilled) with the server's
 * answer: a field's error under it, any other error below them all.
 */
export function ConnectFields({
  fields,
  values,
  setValues,
  error,
}: {
  fields: readonly ProviderField[];
  values: Record<string, string>;
  setValues: Dispatch<SetStateAction<Record<string, string>>>;
  error: ApiError | null;
}) {
  return (
    <>
      {fields.map((f) => (
        <Field
          key={f.name}
          label={f.label}
          name={f.name}
          type={f.secret ? "password" : undefined}
          autoComplete="off"
          placeholder={f.placeholder}
          value={values[f.name] ?? ""}
          onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
          hint={f.hint}
          error={error?.field(f.name)}
        />
      ))}
      {error && !fields.some((f) => error.field(f.name)) ? <Alert tone="error">{error.message}</Alert> : null}
    </>
  );
}
