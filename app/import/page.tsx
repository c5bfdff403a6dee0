import type { Metadata } from 'next';
import { ImportScreen } from '@/components/import/import-screen';
import { getServices } from '@/server/services';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Import a transcript' };

export default function ImportPage() {
  return <ImportScreen maxBytes={getServices().config.maxImportBytes} />;
}
