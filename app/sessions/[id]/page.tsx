import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { isApiError } from '@/server/api/errors';
import { getServices } from '@/server/services';
import { ReviewRoom } from '@/components/session/review-room';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ key?: string | string[] }> };

type Loaded =
  | { ok: true; value: Awaited<ReturnType<ReturnType<typeof getServices>['api']['loadSessionForPage']>>; key: string }
  | { ok: false; status: 401 | 403; message: string };

async function load({ params, searchParams }: Props): Promise<Loaded> {
  const { id } = await params;
  const raw = (await searchParams).key;
  const key = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  try {
    return { ok: true, value: await getServices().api.loadSessionForPage(id, key), key };
  } catch (err) {
    if (isApiError(err) && err.status === 404) notFound();
    if (isApiError(err) && (err.status === 401 || err.status === 403)) return { ok: false, status: err.status, message: err.message };
    throw err;
  }
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const loaded = await load(props);
  return { title: loaded.ok ? loaded.value.session.title : 'Link needed', referrer: 'no-referrer' };
}

export default async function SessionPage(props: Props) {
  const loaded = await load(props);
  if (!loaded.ok) {
    return (
      <main className="mx-auto max-w-xl px-6 py-20 text-center" data-testid="access.refused" data-status={loaded.status}>
        <h1 className="font-serif text-2xl font-semibold">{loaded.status === 401 ? 'This link is incomplete' : 'This link does not open the session'}</h1>
        <p className="mt-3 text-[var(--text-muted)]">{loaded.message}</p>
        <Link href="/" className="mt-6 inline-block rounded-md bg-[var(--accent)] px-3.5 py-2 text-sm font-medium text-[var(--accent-text)]">
          Go to the start page
        </Link>
      </main>
    );
  }
  const { session, transcript, role } = loaded.value;
  return (
    <ReviewRoom
      session={{ id: session.id, title: session.title }}
      transcript={transcript.transcript}
      role={role}
      accessKey={loaded.key}
    />
  );
}
