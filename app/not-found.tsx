import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-20 text-center">
      <h1 className="font-serif text-2xl font-semibold">Nothing here</h1>
      <p className="mt-3 text-[var(--text-muted)]">
        This review session does not exist, or the link is incomplete. Ask whoever shared it for the full link.
      </p>
      <Link href="/" className="mt-6 inline-block rounded-md bg-[var(--accent)] px-3.5 py-2 text-sm font-medium text-[var(--accent-text)]">
        Go to the start page
      </Link>
    </main>
  );
}
