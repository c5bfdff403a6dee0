import Link from 'next/link';
import { getServices } from '@/server/services';
import { StartSessionButton } from '@/components/home/start-session-button';
import { YourSessions } from '@/components/home/your-sessions';

export const dynamic = 'force-dynamic';

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
        <p className="mt-4 text-sm text-[var(--text-muted)]">
          <Link href="/import" data-testid="home.import" className="font-medium text-[var(--accent)] underline underline-offset-2">
            Import a transcript
          </Link>{' '}
          — paste it, or upload a .txt, .md, .vtt, .srt or .docx file.
        </p>
      </header>

      <YourSessions />

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
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
