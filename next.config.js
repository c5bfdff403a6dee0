// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // A separate build folder per checkout or worker (tests in parallel); `.next` by default.
  distDir: process.env.PARLEY_NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // Session links carry their key in the query string; the dev server's request log would print it.
  logging: { incomingRequests: false },
  // Native and Node-only modules stay outside the bundle: the route handlers
  // reach the store that the custom server opened, in the same process.
  serverExternalPackages: ['better-sqlite3', 'ws', 'yjs', 'y-protocols', 'lib0', 'pdfkit', 'fontkit', 'docx', 'dejavu-fonts-ttf'],
  // tsc and eslint run as their own CI steps; the build need not repeat them.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
