import Link from "next/link";

export default function Home() {
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center px-6 py-16">
      <p className="flex items-center gap-2 text-lg font-semibold">
        <span aria-hidden className="inline-block size-6 rounded-md bg-brand-600" /> OneThread
      </p>
      <h1 className="mt-8 text-4xl font-semibold tracking-tight text-slate-900">
        Every signal, stitched back to one person.
      </h1>
      <p className="mt-4 text-lg leading-relaxed text-slate-600">
        Web visits, emails, WhatsApp and SMS, chatbot agents, payments and ad clicks on one timeline per customer — from
        the first anonymous visit to the paying customer. First-party data only, GDPR by design.
      </p>
      <div className="mt-8 flex gap-3">
        <Link
          href="/signup"
          className="rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-medium text-white hover:bg-brand-700"
        >
          Create a workspace
        </Link>
        <Link
          href="/login"
          className="rounded-lg px-4 py-2.5 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-white"
        >
          Log in
        </Link>
      </div>
    </main>
  );
}
