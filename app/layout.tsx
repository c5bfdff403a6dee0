import type { Metadata, Viewport } from 'next';
import './globals.css';

// Every page is rendered per request so that Next.js can put the request's CSP nonce
// (set by server/http-server.ts) on its scripts; a prerendered page (the 404) would
// carry scripts without it, which the policy blocks.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Parley', template: '%s · Parley' },
  description: 'Review a transcript together: live comments, verdicts and a shared brief.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
