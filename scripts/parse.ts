/**
 * `npm run --silent parse -- FILE`: parses a transcript and prints it as JSON.
 * The file's extension picks the reader: .txt and .md (plain text and Markdown),
 * .vtt (WebVTT), .srt (SubRip), .docx (Word, read as binary); a name without an
 * extension is read as text.
 * Exit codes: 0 parsed, 1 the file cannot be read or parsed, 2 wrong usage.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_IMPORT_BYTES, extensionOf, parseTranscriptFile } from '../lib/transcript/detect';
import { TranscriptParseError } from '../lib/transcript/parse';
import type { Transcript } from '../lib/transcript/types';
import { parseDocx } from '../server/import/docx';

const USAGE = `usage: npm run --silent parse -- FILE

Parses a transcript and prints its title, date, place, speakers, turns and
exchanges as JSON on stdout. Reads plain text and Markdown (.txt, .md; speaker
labels such as "SG: text"), subtitles (.vtt, .srt) and Word documents (.docx).
Files over PARLEY_MAX_IMPORT_BYTES (default 10 MiB) are refused.`;

class ReadError extends Error {}

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ReadError(`${file}: No such file`);
    if (code === 'EISDIR') throw new ReadError(`${file}: This is a directory, not a transcript file`);
    if (code === 'EACCES' || code === 'EPERM') throw new ReadError(`${file}: Permission denied`);
    throw new ReadError(`${file}: Cannot read the file (${(error as Error).message})`);
  }
}

/** The import size limit, as the server reads it; the CLI only needs the number. */
function maxBytes(): number {
  const raw = process.env.PARLEY_MAX_IMPORT_BYTES?.trim();
  return raw && /^\d+$/.test(raw) ? Number(raw) : DEFAULT_MAX_IMPORT_BYTES;
}

async function parseFile(file: string): Promise<Transcript> {
  const bytes = readBytes(file);
  if (extensionOf(file) === '.docx') return parseDocx(bytes, file, maxBytes());
  return parseTranscriptFile(bytes, file, maxBytes());
}

/** Runs the CLI and returns its exit code. */
async function main(args: string[]): Promise<number> {
  if (args[0] === '-h' || args[0] === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const file = args[0];
  try {
    const transcript = await parseFile(file);
    process.stdout.write(`${JSON.stringify(transcript, null, 2)}\n`);
    return 0;
  } catch (error) {
    // ImportError is a TranscriptParseError: too large, wrong type, binary, unreadable.
    if (error instanceof ReadError || error instanceof TranscriptParseError) {
      process.stderr.write(`parley parse: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// exitCode rather than exit(): a large JSON written to a pipe must be flushed first.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
