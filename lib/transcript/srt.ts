/**
 * SubRip (.srt) reader: numbered cues with `00:00:01,000 --> 00:00:04,000`
 * timings, speakers as `Name:` prefixes or not at all, HTML-like markup
 * (`<i>`, `<font>`) and `{\an8}` positioning removed. Turns are made by the
 * shared cue logic in `cues.ts`.
 */
import { cuesToTranscript, decodeEntities, parseTiming, type Cue } from './cues';
import { assertReadableText, TranscriptParseError, type ParseOptions } from './parse';
import type { Transcript } from './types';

/** Splits an SRT file into cues; blocks without a timing line are skipped. */
export function readSrtCues(text: string): Cue[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const cues: Cue[] = [];
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === '') i++;
    const block: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);
    if (block.length === 0) break;
    const at = block.findIndex((l) => l.includes('-->'));
    if (at < 0 || at > 1) continue;
    const timing = parseTiming(block[at]);
    if (!timing) continue;
    const payload = block.slice(at + 1).map((l) => ({
      text: decodeEntities(l.replace(/<[^>]{0,200}>/g, '').replace(/\{\\[^}]{0,40}\}/g, '')),
      voice: null,
    }));
    cues.push({ ...timing, lines: payload });
  }
  return cues;
}

/** Parses a SubRip subtitle file into a transcript; throws TranscriptParseError when it cannot. */
export function parseSrt(text: string, options: ParseOptions = {}): Transcript {
  assertReadableText(text, options.source);
  const cues = readSrtCues(text);
  if (cues.every((c) => c.lines.every((l) => l.text.trim() === ''))) {
    throw new TranscriptParseError('No subtitles found: expected numbered blocks such as `00:00:01,000 --> 00:00:04,000` followed by text', options.source);
  }
  return cuesToTranscript(cues, { title: null, fallbackTitle: options.fallbackTitle });
}
