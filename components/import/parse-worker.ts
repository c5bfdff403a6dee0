/**
 * Parses a transcript off the main thread, so that the import screen keeps
 * answering while a long hearing is read. Messages: `ParseRequest` in,
 * `ParseResponse` out, matched by id.
 */
import { parseTranscriptFile, parseTranscriptText } from '@/lib/transcript/detect';
import type { ParseRequest, ParseResponse } from './parse-client';

const scope = self as unknown as { onmessage: ((e: MessageEvent<ParseRequest>) => void) | null; postMessage(m: ParseResponse): void };

scope.onmessage = (event) => {
  const req = event.data;
  const started = performance.now();
  try {
    const transcript =
      req.kind === 'bytes'
        ? parseTranscriptFile(new Uint8Array(req.bytes), req.fileName, req.maxBytes)
        : parseTranscriptText(req.text, { fileName: req.fileName ?? undefined });
    scope.postMessage({ id: req.id, ok: true, transcript, ms: performance.now() - started });
  } catch (err) {
    scope.postMessage({ id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
