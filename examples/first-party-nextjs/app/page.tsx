export const dynamic = "force-dynamic"; // the site key comes from the environment at run time

export default function Home() {
  return (
    <main>
      <h1>Acme Movers</h1>
      <p>A business's own site, serving OneThread's tracker from its own domain.</p>
    </main>
  );
}
