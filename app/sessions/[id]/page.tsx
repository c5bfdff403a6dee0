import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { isApiError } from '@/server/api/errors';
import { getServices } from '@/server/services';
import { ReviewRoom } from '@/components/session/review-room';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ id: string }> };

async function load(id: string) {
  try {
    return await getServices().api.loadSession(id);
  } catch (err) {
    if (isApiError(err) && err.status === 404) notFound();
    throw err;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const { session } = await load(id);
  return { title: session.title };
}

export default async function SessionPage({ params }: Props) {
  const { id } = await params;
  const { session, transcript } = await load(id);
  return <ReviewRoom session={{ id: session.id, title: session.title }} transcript={transcript.transcript} />;
}
