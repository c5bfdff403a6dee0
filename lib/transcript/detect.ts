/**
 * Which reader a file or a pasted text needs, and every check that comes
 * before reading: size, emptiness, binary content, file type. Shared by the
 * browser (import screen), the server (preview and import API) and the CLI, so
 * that each says the same thing about the same file.
 */
import { parseTranscript, TranscriptParseError, type ParseOptions } from './parse';
import { parseSrt } from './srt';
import type { Transcript } from './types';
import { parseVtt } from './vtt';

/** The formats Parley reads. */
export type TranscriptFormat = 'text' | 'markdown' | 'vtt' | 'srt' | 'docx';

/** Default largest file accepted for import: 10 MiB (`PARLEY_MAX_IMPORT_BYTES` on the server). */
export const DEFAULT_MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** File extensions the import screen accepts, for the file picker. */
export const ACCEPTED_EXTENSIONS = ['.txt', '.md', '.markdown', '.vtt', '.srt', '.docx'] as const;

/** MIME type of a Word document, as browsers report it and the preview API takes it. */
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const BY_EXTENSION: Record<string, TranscriptFormat> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.vtt': 'vtt',
  '.srt': 'srt',
  '.docx': 'docx',
};

/** What to do instead, for files people often try. */
const ADVICE: Record<string, string> = {
  '.doc': 'Word 97–2003 documents (.doc) cannot be read: open it in Word and save it as .docx',
  '.pdf': 'PDF files cannot be read: copy the text from the PDF and paste it here, or save it as .txt',
  '.rtf': 'RTF files cannot be read: save it as .docx or .txt',
  '.odt': 'OpenDocument files cannot be read: save it as .docx or .txt',
  '.pages': 'Pages documents cannot be read: export it as .docx or .txt',
};

/** A file that cannot be imported; `status` is the HTTP status the API answers with. */
export class ImportError extends TranscriptParseError {
  constructor(
    reason: string,
    source: string | undefined,
    readonly status: 400 | 413 | 415 = 400,
  ) {
    super(reason, source);
    this.name = 'ImportError';
  }
}

/** `Hearing.Final.VTT` → `.vtt`; `''` when the name has no extension. */
export function extensionOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** The name without folders and extension, as a title for files that carry none. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).replace(/[_]+/g, ' ').trim();
}

/** `10485760` → `10 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  const mb = n / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1).replace(/\.0$/, '')} MB`;
}

/** The format for a file name, or an ImportError that says which files Parley reads. A name without extension is read as text. */
export function formatOfFile(fileName: string): TranscriptFormat {
  const ext = extensionOf(fileName);
  if (ext === '') return 'text';
  const format = BY_EXTENSION[ext];
  if (format) return format;
  const advice = ADVICE[ext] ?? `"${ext}" files cannot be read`;
  throw new ImportError(`${advice}. Parley reads .txt, .md, .vtt, .srt and .docx files.`, fileName, 415);
}

/** Checks the size before a byte is read: empty or over the limit. */
export function checkSize(size: number, maxBytes: number, source?: string): void {
  if (size === 0) throw new ImportError('The file is empty', source);
  if (size > maxBytes) {
    throw new ImportError(
      `The file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit: split it, or ask your administrator to raise PARLEY_MAX_IMPORT_BYTES`,
      source,
      413,
    );
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** True when the bytes begin like a zip archive, as every .docx does. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, ZIP);
}

/** Throws when the bytes are not text: known binary signatures, or NUL bytes in a file without a UTF-16 byte-order mark. */
export function checkNotBinary(bytes: Uint8Array, source?: string): void {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) {
    throw new ImportError('This is a PDF file, which cannot be read: copy its text and paste it here, or save it as .txt', source, 415);
  }
  if (looksLikeZip(bytes)) {
    throw new ImportError('The file looks binary (a zip archive or a Word document): save Word documents with the .docx extension', source, 415);
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new ImportError('This is a Word 97–2003 document (.doc), which cannot be read: save it as .docx', source, 415);
  }
  const utf16 = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  if (utf16) return;
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) throw new ImportError('The file looks binary (it contains NUL bytes): expected a plain-text transcript', source);
  }
}

/** Windows-1252's characters for bytes 0x80–0x9F (0 where the code page has none); the rest is Latin-1. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

// By hand: Node's TextDecoder reads "windows-1252" as Latin-1, which turns curly quotes into control characters.
function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] || 0xfffd : b));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** Bytes to text: UTF-16 when a byte-order mark says so, else UTF-8, else Windows-1252 (older Word "save as text"). */
export function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes);
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Mostly UTF-8 with a few broken bytes stays UTF-8; no valid multi-byte character at all means an 8-bit code page.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    return /[\u0080-\ufffc\ufffe\uffff]/.test(lenient) ? lenient : decodeWindows1252(bytes);
  }
}

/** The format a pasted text is in: a WebVTT or SRT file pasted whole is read as one. */
export function sniffFormat(text: string): 'text' | 'vtt' | 'srt' {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 400);
  if (/^WEBVTT(?:[ \t]|\r?\n|$)/.test(head)) return 'vtt';
  if (/^\d{1,6}[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->/.test(head)) return 'srt';
  return 'text';
}

export interface ReadOptions extends ParseOptions {
  /** The file's name; its extension picks the reader. Pasted text has none. */
  fileName?: string;
}

/** Parses a text in the format its file name (or, for pasted text, its content) says. Word documents go through `server/import/docx.ts`. */
export function parseTranscriptText(text: string, options: ReadOptions = {}): Transcript {
  const { fileName } = options;
  const source = options.source ?? fileName;
  const format = fileName ? formatOfFile(fileName) : 'text';
  if (format === 'docx') throw new ImportError('Word documents are read on the server: upload the file', source, 415);
  const fallbackTitle = options.fallbackTitle ?? (fileName ? titleFromFileName(fileName) : undefined);
  const read = format === 'vtt' || format === 'srt' ? format : sniffFormat(text);
  const opts = { source, fallbackTitle };
  if (read === 'vtt') return parseVtt(text, opts);
  if (read === 'srt') return parseSrt(text, opts);
  return parseTranscript(text, opts);
}

/** Every check and the parse for a text file's bytes (.txt, .md, .vtt, .srt): what the import screen and the CLI do with a file. */
export function parseTranscriptFile(bytes: Uint8Array, fileName: string, maxBytes = DEFAULT_MAX_IMPORT_BYTES): Transcript {
  checkSize(bytes.length, maxBytes, fileName);
  if (extensionOf(fileName) === '.docx') throw new ImportError('Word documents are read on the server: upload the file', fileName, 415);
  // Binary first: an image named .png is better described as binary than as an unknown type.
  checkNotBinary(bytes, fileName);
  formatOfFile(fileName);
  return parseTranscriptText(decodeText(bytes), { fileName });
}
