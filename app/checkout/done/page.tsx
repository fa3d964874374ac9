import type { Metadata } from "next";

export const metadata: Metadata = { title: "Payment", robots: { index: false } };

/** Where Stripe Checkout returns the payer of a deposit link (lib/checkout/create-checkout.ts's default). */
export default async function CheckoutDone({ searchParams }: { searchParams: Promise<{ cancelled?: string }> }) {
  const { cancelled } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 p-4">
      <div className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-7 shadow-xs">
        <h1 className="text-xl font-semibold text-slate-900">{cancelled ? "Payment not made" : "Payment received"}</h1>
        <p className="mt-2 text-sm text-slate-600">
          {cancelled
            ? "You left the payment page before paying. Open the link you were sent again to pay."
            : "Thank you. Your payment went through; you can close this page."}
        </p>
      </div>
    </main>
  );
}
