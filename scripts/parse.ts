/**
 * `npm run --silent parse -- FILE`: parses a transcript and prints it as JSON.
 * Exit codes: 0 parsed, 1 the file cannot be read or parsed, 2 wrong usage.
 */
import { readFileSync } from 'node:fs';
import { parseTranscript, TranscriptParseError } from '../lib/transcript';

const USAGE = `usage: npm run --silent parse -- FILE

Parses a plain-text transcript (speaker labels such as "SG: text") and prints
its title, date, place, speakers, turns and exchanges as JSON on stdout.`;

class ReadError extends Error {}

/** Reads a file as text, honouring a UTF-16 byte-order mark; other files are read as UTF-8. */
function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ReadError(`${file}: No such file`);
    if (code === 'EISDIR') throw new ReadError(`${file}: This is a directory, not a transcript file`);
    if (code === 'EACCES' || code === 'EPERM') throw new ReadError(`${file}: Permission denied`);
    throw new ReadError(`${file}: Cannot read the file (${(error as Error).message})`);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  // Not fatal: stray invalid bytes become U+FFFD, and the parser rejects files made mostly of them.
  return new TextDecoder('utf-8').decode(bytes);
}

/** Runs the CLI and returns its exit code. */
function main(args: string[]): number {
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
    const transcript = parseTranscript(readText(file), { source: file });
    process.stdout.write(`${JSON.stringify(transcript, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ReadError || error instanceof TranscriptParseError) {
      process.stderr.write(`parley parse: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// exitCode rather than exit(): a large JSON written to a pipe must be flushed first.
process.exitCode = main(process.argv.slice(2));
