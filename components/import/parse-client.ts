/**
 * The import screen's reading and parsing: files are read with progress
 * events, parsed in a Web Worker (on the main thread, a chunk of work after a
 * paint, where workers are unavailable), and Word documents are uploaded to the
 * server's preview endpoint, which reads them with mammoth.
 */
import { DOCX_MIME } from '@/lib/transcript/detect';
import type { Transcript } from '@/lib/transcript/types';

/** What to parse: a file's bytes, or pasted text. */
export type ParseInput = { kind: 'bytes'; bytes: ArrayBuffer; fileName: string; maxBytes: number } | { kind: 'text'; text: string; fileName: string | null };

export type ParseRequest = ParseInput & { id: number };

export type ParseResponse = { id: number; ok: true; transcript: Transcript; ms: number } | { id: number; ok: false; message: string };

/** Progress of one step, in bytes; `total` 0 when unknown. */
export type ProgressFn = (loaded: number, total: number) => void;

/** A failure to show as it is: the message already says what went wrong and what to do. */
export class ImportFailure extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'ImportFailure';
  }
}

/** Reads a file into memory, reporting progress as the browser reads it. */
export function readFileWithProgress(file: File, onProgress: ProgressFn, signal: AbortSignal): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(new ImportFailure(`Could not read ${file.name}: ${reader.error?.message ?? 'the browser refused'}. Try choosing it again.`));
    reader.onabort = () => reject(new DOMException('Reading cancelled', 'AbortError'));
    signal.addEventListener('abort', () => reader.abort(), { once: true });
    reader.readAsArrayBuffer(file);
  });
}

/** Uploads a file to POST /api/transcripts/preview (XHR, for upload progress) and returns the parsed transcript. */
export function uploadForPreview(file: File, onProgress: ProgressFn, signal: AbortSignal): Promise<Transcript> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/transcripts/preview?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', file.type || (file.name.toLowerCase().endsWith('.docx') ? DOCX_MIME : 'application/octet-stream'));
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as { transcript?: Transcript; error?: { message?: string } } | null;
      if (xhr.status === 200 && body?.transcript) resolve(body.transcript);
      else reject(new ImportFailure(body?.error?.message ?? `The server could not read the file (HTTP ${xhr.status}). Try again.`));
    };
    xhr.onerror = () => reject(new ImportFailure('The file could not be sent: check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

type Pending = { resolve: (t: Transcript) => void; reject: (e: Error) => void };

/** Parses in a Web Worker, one request at a time per id; falls back to the main thread when no worker can start. */
export class TranscriptParser {
  private worker: Worker | null = null;
  private broken = false;
  private next = 1;
  private pending = new Map<number, Pending>();
  /** Where the last parse ran: the worker, or the main thread when no worker could start. */
  lastRunIn: 'worker' | 'main' | null = null;

  private ensureWorker(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    try {
      this.worker = new Worker(new URL('./parse-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (e: MessageEvent<ParseResponse>) => {
        const p = this.pending.get(e.data.id);
        if (!p) return;
        this.pending.delete(e.data.id);
        this.lastRunIn = 'worker';
        if (e.data.ok) p.resolve(e.data.transcript);
        else p.reject(new ImportFailure(e.data.message));
      };
      this.worker.onerror = () => {
        // A worker that fails to load leaves every request hanging: finish them on the main thread.
        this.broken = true;
        this.worker?.terminate();
        this.worker = null;
      };
    } catch {
      this.broken = true;
    }
    return this.worker;
  }

  /** Parses a request; `signal` drops the answer (the worker's work is short and not interrupted). */
  parse(request: ParseInput, signal: AbortSignal): Promise<Transcript> {
    const id = this.next++;
    const req: ParseRequest = { ...request, id };
    const worker = this.ensureWorker();
    if (!worker) return this.parseHere(req);
    return new Promise<Transcript>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      signal.addEventListener('abort', () => {
        this.pending.delete(id);
        reject(new DOMException('Parsing cancelled', 'AbortError'));
      });
      worker.postMessage(req, req.kind === 'bytes' ? [req.bytes] : []);
      // If the worker dies before answering, the main thread takes over this request.
      const watch = window.setInterval(() => {
        if (!this.pending.has(id)) return window.clearInterval(watch);
        if (this.broken) {
          window.clearInterval(watch);
          this.pending.delete(id);
          this.parseHere(req).then(resolve, reject);
        }
      }, 250);
    });
  }

  private async parseHere(req: ParseRequest): Promise<Transcript> {
    // Let the progress indicator paint before the (short) synchronous parse.
    await new Promise((r) => window.setTimeout(r, 30));
    this.lastRunIn = 'main';
    const { parseTranscriptFile, parseTranscriptText } = await import('@/lib/transcript/detect');
    try {
      return req.kind === 'bytes'
        ? parseTranscriptFile(new Uint8Array(req.bytes), req.fileName, req.maxBytes)
        : parseTranscriptText(req.text, { fileName: req.fileName ?? undefined });
    } catch (err) {
      throw new ImportFailure(err instanceof Error ? err.message : String(err));
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.pending.clear();
  }
}

/** Stores the previewed transcript and starts a review session on it; returns the session's path (with the owner's key). */
export async function saveAndStartSession(transcript: Transcript, source: string): Promise<string> {
  const res = await fetch('/api/transcripts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transcript, source }),
  });
  const body = (await res.json().catch(() => null)) as { id?: string; error?: { message?: string; problems?: string[] } } | null;
  if (res.status !== 201 || !body?.id) {
    const problems = body?.error?.problems ?? [];
    // With a list of problems to show one by one, the message need not repeat them.
    const message = body?.error?.message ?? `The server did not store the transcript (HTTP ${res.status}).`;
    throw new ImportFailure(problems.length ? message.replace(/: .*$/s, '.') : message, problems);
  }
  const sessionRes = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transcriptId: body.id }),
  });
  const session = (await sessionRes.json().catch(() => null)) as { path?: string; url?: string; error?: { message?: string } } | null;
  const path = session?.path ?? session?.url;
  if (!sessionRes.ok || !path) {
    throw new ImportFailure(
      `The transcript is saved, but the session could not start: ${session?.error?.message ?? `HTTP ${sessionRes.status}`}. Start it from the start page.`,
    );
  }
  return path;
}
