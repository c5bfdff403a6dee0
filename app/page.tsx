import Link from 'next/link';
import { getServices } from '@/server/services';
import { StartSessionButton } from '@/components/home/start-session-button';

export const dynamic = 'force-dynamic';

function when(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

export default async function HomePage() {
  const transcripts = await getServices().api.listTranscripts();
  const sample = transcripts.find((t) => t.source === 'sample') ?? transcripts[0];

  return (
    <main className="mx-auto max-w-4xl px-4 py-10 sm:px-6">
      <header className="mb-10">
        <p className="text-sm font-bold tracking-tight text-[var(--accent)]">Parley</p>
        <h1 className="mt-2 font-serif text-3xl font-semibold leading-tight sm:text-4xl">Review a transcript together.</h1>
        <p className="mt-3 max-w-2xl text-[var(--text-muted)]">
          Open a transcript with your team, comment on answers and passages, and see each other&rsquo;s work live. Share the
          session&rsquo;s link and everyone who opens it joins the same review.
        </p>
        {sample && (
          <div className="mt-6 flex flex-wrap items-center gap-3">
            <StartSessionButton transcriptId={sample.id} label="Open the sample transcript" primary />
            <span className="text-sm text-[var(--text-muted)]">{sample.title}</span>
          </div>
        )}
      </header>

      <section aria-labelledby="transcripts-heading">
        <h2 id="transcripts-heading" className="mb-3 text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">
          Transcripts
        </h2>
        {transcripts.length === 0 && <p className="text-[var(--text-muted)]">No transcripts yet.</p>}
        <ul className="space-y-4">
          {transcripts.map((t) => (
            <li key={t.id} data-testid="transcript.card" className="rounded-xl border border-[var(--border)] bg-[var(--surface)] p-5 shadow-sm">
              <div className="flex flex-wrap items-start justify-between gap-4">
                <div className="min-w-0 flex-1">
                  <h3 className="font-serif text-lg font-semibold leading-snug">{t.title}</h3>
                  <p className="mt-1 text-sm text-[var(--text-muted)]">
                    {[t.place, t.date].filter(Boolean).join(' · ')}
                    {t.place || t.date ? ' · ' : ''}
                    {t.turns} turns · {t.exchanges} exchanges · {t.speakers.join(', ')}
                  </p>
                </div>
                <StartSessionButton transcriptId={t.id} />
              </div>
              {t.sessions.length > 0 && (
                <div className="mt-4 border-t border-[var(--border)] pt-3">
                  <h4 className="text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">Review sessions</h4>
                  <ul className="mt-2 space-y-1">
                    {t.sessions.map((s) => (
                      <li key={s.id} className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
                        <Link href={s.url} className="font-medium text-[var(--accent)] hover:underline" data-testid="session.link">
                          {s.title}
                        </Link>
                        <span className="text-xs text-[var(--text-muted)]">started {when(s.createdAt)}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
