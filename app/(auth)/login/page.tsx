import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form.tsx";
import { mailDelivery } from "@/lib/config/env.ts";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage() {
  // Read per request: whether this server can send login links depends on its environment, not the build's.
  await connection();
  return (
    <Suspense>
      <LoginForm canEmailLinks={mailDelivery() !== "none"} />
    </Suspense>
  );
}
