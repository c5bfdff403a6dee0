import type { Services } from '../services';
import * as access from './access';
import * as handlers from './handlers';
import * as history from './history';
import * as transcriptImport from './import';

/**
 * The API's handlers bound to the running server's services. Route handlers
 * reach them through `getServices().api` rather than importing them: Next.js
 * bundles route handlers with their own copy of every module they import, and a
 * second copy of Yjs in one process breaks Yjs's constructor checks. Going
 * through the server's object keeps one copy of Yjs (the server's) at work.
 *
 * Every entry that reads or changes a session takes the caller's key and checks
 * it first (see access.ts); only listing transcripts and creating a session do not.
 */
export function createApi(deps: Omit<Services, 'api'>) {
  // The handlers never use `api` themselves.
  const services = deps as Services;
  return {
    listTranscripts: () => handlers.listTranscripts(services),
    createSession: (body: Record<string, unknown>, origin?: string) => access.createSession(services, body, origin),
    authorize: (id: string, key: string | null, need: access.Need) => access.authorize(services, id, key, need),
    loadSessionForPage: (id: string, key: string | null) => access.loadSessionForPage(services, id, key),
    getSession: (id: string, key: string | null) => access.getSession(services, id, key),
    exportSession: async (id: string, key: string | null, format: string | null, origin?: string) => {
      await access.authorize(services, id, key, 'read');
      return handlers.exportSession(services, id, format, origin);
    },
    importSessionAnnotations: async (id: string, key: string | null, raw: string) => {
      await access.authorize(services, id, key, 'comment');
      return handlers.importSessionAnnotations(services, id, raw);
    },
    listLinks: (id: string, key: string | null, origin?: string) => access.listLinks(services, id, key, origin),
    rotateLink: (id: string, key: string | null, role: string, origin?: string) => access.rotateLink(services, id, key, role, origin),
    listSnapshots: (id: string, key: string | null) => history.listSnapshots(services, id, key),
    takeSnapshot: (id: string, key: string | null, body: Record<string, unknown>) => history.takeSnapshot(services, id, key, body),
    getSnapshotState: (id: string, key: string | null, snapshotId: string) => history.getSnapshotState(services, id, key, snapshotId),
    parseJsonBody: handlers.parseJsonBody,
    createTranscript: (body: Record<string, unknown>) => transcriptImport.createTranscript(services, body),
    previewTranscript: (input: Parameters<typeof transcriptImport.previewTranscript>[1]) => transcriptImport.previewTranscript(services, input),
    maxImportBodyBytes: () => transcriptImport.maxImportBodyBytes(services),
  };
}

export type Api = ReturnType<typeof createApi>;
