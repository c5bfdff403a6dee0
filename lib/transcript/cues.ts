/**
 * Subtitle cues (WebVTT and SRT) to turns. Both formats come down to timed
 * cues of a line or two each; a turn is a run of cues by one speaker, starting
 * at its first cue's time, and a pause in the run starts a new paragraph.
 */
import { matchCuePrefix, normaliseSpaces, separateNotes, UNTITLED } from './parse';
import { assembleTranscript, type TurnDraft } from './structure';
import type { Transcript } from './types';

/** One timed cue, its payload lines already stripped of markup. */
export interface Cue {
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  lines: CueLine[];
}

export interface CueLine {
  text: string;
  /** The speaker a voice tag (`<v Name>`) names, when there is one. */
  voice: string | null;
}

/** The label of a speaker the file does not name. */
export const UNKNOWN_SPEAKER = 'Speaker';

/** A pause this long (seconds) between cues of one speaker starts a new paragraph. */
const PARAGRAPH_PAUSE = 2;
/** A paragraph this long (words) ends at the next full stop, so that a long monologue stays readable. */
const PARAGRAPH_WORDS = 120;

const TIME = /(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?/;
/** `00:01:02.500 --> 00:01:04.000 line:90%`: start and end of a cue. */
const TIMING = new RegExp(`^\\s*${TIME.source}\\s*-->\\s*${TIME.source}`);

function seconds(h: string | undefined, m: string, s: string, ms: string | undefined): number {
  const frac = ms ? Number(ms.padEnd(3, '0')) / 1000 : 0;
  return Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s) + frac;
}

/** The start and end of a timing line, or null when the line is not one. */
export function parseTiming(line: string): { start: number; end: number } | null {
  const m = TIMING.exec(line);
  if (!m) return null;
  const start = seconds(m[1], m[2], m[3], m[4]);
  const end = seconds(m[5], m[6], m[7], m[8]);
  return { start: Math.round(start * 1000) / 1000, end: Math.round(end * 1000) / 1000 };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  lrm: '',
  rlm: '',
  hellip: '…',
  mdash: '—',
  ndash: '–',
};

/** Decodes the character references a subtitle file may hold: `&amp;`, `&#8217;`, `&#x2019;`. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Music in captions (`♪ la la ♪`) is not speech: it becomes a note. */
function musicNote(text: string): string {
  return /^[♪♫#]/.test(text) && /[♪♫#]$/.test(text) ? '[Music]' : text;
}

interface Segment {
  start: number;
  end: number;
  /** A named speaker, `null` for one the file marks but does not name, `undefined` when nothing marks a change. */
  speaker: string | null | undefined;
  note: string | null;
  text: string;
}

/** Splits each cue into speaker segments: a voice tag, a `Name:` prefix, a `- ` dialogue dash or `>>` opens one. */
function segmentsOf(cues: Cue[]): Segment[] {
  const out: Segment[] = [];
  let previousLast = '';
  for (const cue of cues) {
    let current: Segment | null = null;
    let last = '';
    for (const line of cue.lines) {
      let text = normaliseSpaces(line.text);
      if (!text) continue;
      // Roll-up captions repeat the last line of the cue before; read it once.
      if (text === previousLast && current === null) continue;
      last = text;
      let speaker: string | null | undefined = line.voice ?? undefined;
      let note: string | null = null;
      const marker = /^(?:>>+|-(?=\s)|–(?=\s))\s*/.exec(text);
      if (marker) {
        text = text.slice(marker[0].length);
        if (speaker === undefined) speaker = null;
      }
      const prefix = matchCuePrefix(text);
      if (prefix) {
        speaker = prefix.label;
        note = prefix.note;
        text = prefix.rest;
      }
      text = musicNote(text);
      if (speaker !== undefined || !current) {
        current = { start: cue.start, end: cue.end, speaker, note, text };
        out.push(current);
      } else {
        // The second line of a cue goes on with the sentence of the first.
        current.text += ` ${text}`;
      }
    }
    if (last) previousLast = last;
  }
  return out;
}

function wordCount(s: string): number {
  let n = 0;
  for (let i = 0, inWord = false; i < s.length; i++) {
    const space = s.charCodeAt(i) === 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Turns from cues: consecutive cues of one speaker make one turn; an unnamed change of speaker opens a new turn. */
export function cuesToTranscript(cues: Cue[], head: { title: string | null; fallbackTitle?: string }): Transcript {
  interface Building {
    speaker: string;
    note: string | null;
    start: number;
    paragraphs: string[];
    current: string;
    lastEnd: number;
  }
  const turns: Building[] = [];
  let turn: Building | null = null;
  const open = (speaker: string, seg: Segment) => {
    turn = { speaker, note: seg.note, start: seg.start, paragraphs: [], current: seg.text, lastEnd: seg.end };
    turns.push(turn);
  };
  for (const seg of segmentsOf(cues)) {
    const t = turn as Building | null;
    if (seg.speaker === null) open(UNKNOWN_SPEAKER, seg);
    else if (seg.speaker !== undefined && (!t || t.speaker !== seg.speaker)) open(seg.speaker, seg);
    else if (!t) open(UNKNOWN_SPEAKER, seg);
    else {
      const isNote = /^[[(].*[\])]\.?$/.test(seg.text) || /^[[(].*[\])]\.?$/.test(t.current);
      const paused = seg.start - t.lastEnd >= PARAGRAPH_PAUSE;
      const long = wordCount(t.current) >= PARAGRAPH_WORDS && /[.?!…]["”’]?$/.test(t.current);
      if (isNote || paused || long) {
        if (t.current) t.paragraphs.push(t.current);
        t.current = seg.text;
      } else t.current = t.current ? `${t.current} ${seg.text}` : seg.text;
      if (seg.note && !t.note) t.note = seg.note;
      t.lastEnd = seg.end;
    }
  }
  const drafts: TurnDraft[] = (turns as Building[]).map((b) => {
    const { paragraphs, note } = separateNotes(b.current ? [...b.paragraphs, b.current] : b.paragraphs, b.note);
    return { speaker: b.speaker, paragraphs, note, start: b.start };
  });
  const title = head.title?.trim() || head.fallbackTitle?.trim() || UNTITLED;
  return assembleTranscript({ title, date: null, place: null }, drafts);
}
