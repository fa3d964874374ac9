/** Where Stripe Checkout returns the payer of a deposit link (lib/checkout/create-checkout.ts's default). */
export default async function CheckoutDone({ searchParams }: { searchParams: Promise<{ cancelled?: string }> }) {
  const { cancelled } = await searchParams;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-3 p-6 text-center">
      <h1 className="font-semibold text-2xl">{cancelled ? "Payment not made" : "Payment received"}</h1>
      <p className="text-neutral-600">
        {cancelled
          ? "You left the payment page before paying. Open the link you were sent again to pay."
          : "Thank you. Your payment went through; you can close this page."}
      </p>
    </main>
  );
}
