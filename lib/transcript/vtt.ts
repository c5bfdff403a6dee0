/**
 * WebVTT reader: cues with their timings and `<v Speaker>` voice tags, header
 * and NOTE, STYLE and REGION blocks skipped, markup and character references
 * removed. Turns are made by the shared cue logic in `cues.ts`.
 */
import { cuesToTranscript, decodeEntities, parseTiming, type Cue, type CueLine } from './cues';
import { assertReadableText, TranscriptParseError, type ParseOptions } from './parse';
import type { Transcript } from './types';

/** `<v Roger Bingham>`, `<v.loud Esme>`: the voice a cue line is spoken in. */
const VOICE = /<v(?:\.[^\s>]*)?\s+([^>]{1,80})>/;

/** Reads the payload lines of one cue, carrying a voice across the lines it spans. */
function payload(lines: string[]): CueLine[] {
  const out: CueLine[] = [];
  let voice: string | null = null;
  for (const raw of lines) {
    const tag = VOICE.exec(raw);
    if (tag) voice = tag[1].trim();
    const text = decodeEntities(raw.replace(/<[^>]{0,200}>/g, ''));
    out.push({ text, voice });
    if (/<\/v>/.test(raw)) voice = null;
  }
  return out;
}

/** Splits a WebVTT file into its title (the text after `WEBVTT`, if any) and its cues. */
export function readVttCues(text: string, source?: string): { title: string | null; cues: Cue[] } {
  const body = text.replace(/^\uFEFF/, '');
  const lines = body.split(/\r\n|\r|\n/);
  const signature = /^WEBVTT(?:[ \t]+(.*))?$/.exec(lines[0] ?? '');
  if (!signature) {
    throw new TranscriptParseError('This is not a WebVTT file: its first line must be `WEBVTT`', source);
  }
  const title = signature[1]?.replace(/^[-–—:]\s*/, '').trim() || null;
  const cues: Cue[] = [];
  let i = 1;
  while (i < lines.length) {
    // One block: the lines up to the next blank line.
    while (i < lines.length && lines[i].trim() === '') i++;
    const block: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);
    if (block.length === 0) break;
    if (/^(?:NOTE|STYLE|REGION)(?:\s|$)/.test(block[0])) continue;
    const at = block.findIndex((l) => l.includes('-->'));
    // A cue's timing is its first line, or its second after an identifier.
    if (at < 0 || at > 1) continue;
    const timing = parseTiming(block[at]);
    if (!timing) continue;
    cues.push({ ...timing, lines: payload(block.slice(at + 1)) });
  }
  return { title, cues };
}

/** Parses a WebVTT subtitle file into a transcript; throws TranscriptParseError when it cannot. */
export function parseVtt(text: string, options: ParseOptions = {}): Transcript {
  assertReadableText(text, options.source);
  const { title, cues } = readVttCues(text, options.source);
  if (cues.every((c) => c.lines.every((l) => l.text.trim() === ''))) {
    throw new TranscriptParseError('No cues found: expected blocks such as `00:00:01.000 --> 00:00:04.000` followed by text', options.source);
  }
  return cuesToTranscript(cues, { title, fallbackTitle: options.fallbackTitle });
}
