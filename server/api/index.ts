import type { Services } from '../services';
import * as handlers from './handlers';

/**
 * The API's handlers bound to the running server's services. Route handlers
 * reach them through `getServices().api` rather than importing them: Next.js
 * bundles route handlers with their own copy of every module they import, and a
 * second copy of Yjs in one process breaks Yjs's constructor checks. Going
 * through the server's object keeps one copy of Yjs (the server's) at work.
 */
export function createApi(deps: Omit<Services, 'api'>) {
  // The handlers never use `api` themselves.
  const services = deps as Services;
  return {
    listTranscripts: () => handlers.listTranscripts(services),
    createSession: (body: Record<string, unknown>) => handlers.createSession(services, body),
    loadSession: (id: string) => handlers.loadSession(services, id),
    getSession: (id: string) => handlers.getSession(services, id),
    exportSession: (id: string, format: string | null, origin?: string) => handlers.exportSession(services, id, format, origin),
    parseJsonBody: handlers.parseJsonBody,
  };
}

export type Api = ReturnType<typeof createApi>;
