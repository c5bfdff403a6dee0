import type { Api } from './api';
import type { RoomManager } from './collab/room-manager';
import type { HistoryKeeper } from './collab/history';
import type { Config } from './config';
import type { CapabilityLinks } from './links';
import type { Metrics } from './metrics';
import type { Store } from './store/types';

/** What the running server shares with Next.js route handlers in the same process. */
export interface Services {
  store: Store;
  rooms: RoomManager;
  /** Snapshots of each session's commentary. */
  history: HistoryKeeper;
  /** Capability links: derives, verifies and rotates the per-role tokens. */
  links: CapabilityLinks;
  /** Counters for /metrics. */
  metrics: Metrics;
  config: Config;
  /** `Date.now()` when the server started. */
  startedAt: number;
  /** The HTTP API's handlers, bound to these services (see server/api/index.ts for why). */
  api: Api;
}

// Next.js bundles route handlers separately from the server, so a module-level
// variable here would be a different copy there; the global symbol is shared.
const KEY = Symbol.for('parley.services');

type GlobalWithServices = typeof globalThis & { [KEY]?: Services };

/** Registers the running server's services for route handlers to reach. */
export function setServices(s: Services): void {
  (globalThis as GlobalWithServices)[KEY] = s;
}

/** The running server's services; throws if the Parley server has not started in this process. */
export function getServices(): Services {
  const services = (globalThis as GlobalWithServices)[KEY];
  if (!services) {
    throw new Error(
      'Parley services are not available: the Parley server has not started in this process. ' +
        'Run the app with `npm run dev` or `npm start` (not `next dev`/`next start`).',
    );
  }
  return services;
}

/** Removes the registration (on close), so a stale store is never used. */
export function clearServices(s?: Services): void {
  const g = globalThis as GlobalWithServices;
  if (!s || g[KEY] === s) delete g[KEY];
}
