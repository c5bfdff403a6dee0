/**
 * Plain-text and Markdown transcript parser: front matter and header, speaker
 * turns, notes and trailers. Roles, kinds and question/answer exchanges are
 * decided in `structure.ts`, which the subtitle readers and the preview edits
 * share. Runs in the browser (a Web Worker), the server and the CLI, so it uses
 * no Node or DOM APIs.
 *
 * The parser works line by line and only runs regular expressions on bounded
 * slices or with linear patterns, so a 100,000-word hearing parses in
 * milliseconds and no input can trigger catastrophic backtracking.
 */
import { assembleTranscript, FOLLOW_UP_LABELS, isKnownLabel, isQuestionLabel, labelKey, type TurnDraft } from './structure';
import type { Transcript } from './types';

export interface ParseOptions {
  /** Where the text came from (a file name); prefixed to error messages. */
  source?: string;
  /** The title when the text has no header (the file name, say); `Untitled transcript` otherwise. */
  fallbackTitle?: string;
}

/** A transcript that cannot be parsed; `message` tells the user what to fix. */
export class TranscriptParseError extends Error {
  /** The reason without the source prefix. */
  readonly reason: string;
  readonly source: string | undefined;

  constructor(reason: string, source?: string) {
    super(source ? `${source}: ${reason}` : reason);
    this.name = 'TranscriptParseError';
    this.reason = reason;
    this.source = source;
  }
}

/** Title used when the header gives none. */
export const UNTITLED = 'Untitled transcript';

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/** Lower-case words allowed inside a name (`Ministro de Relaciones`, `Ludwig van Beethoven`). */
const NAME_PARTICLES = new Set([
  'of', 'the', 'and', 'for', 'de', 'da', 'das', 'do', 'dos', 'del', 'della', 'di', 'du', 'la', 'le',
  'van', 'von', 'der', 'den', 'ter', 'bin', 'ibn', 'al', 'el', 'y', 'e', 'on', 'upon', 'am', 'sur', 'en',
]);

/** `Key: value` lines that describe the transcript rather than introduce a speaker. */
const HEADER_KEYS = new Set([
  'title', 'date', 'time', 'place', 'location', 'venue', 'event', 'subject', 'topic', 'source',
  'transcript', 'speakers', 'participants', 'attendees', 'duration', 'recorded', 'published', 'url',
  'link', 'audio', 'video', 'language', 'languages',
]);

/** Capitalised words that often open a sentence with a colon (`Note: …`) but never name a speaker. */
const NOT_LABELS = new Set([
  'note', 'notes', 'nb', 'n.b.', 'ps', 'p.s.', 'correction', 'update', 'example', 'warning', 'caution',
  'important', 'summary', 'background', 'context', 'yes', 'no', 'well', 'so', 'look', 'listen', 'now',
  'first', 'second', 'third', 'finally', 'again', 'today', 'here', 'there', 'why', 'what', 'how',
  'and', 'but', 'or', 'because', 'however', 'also', 'then', 'thus', 'therefore', 'quote', 'unquote',
  'ok', 'okay', 'i', 'end', 'ends', 'thank you', 'thanks', 'noon', 'midnight',
]);

// ---------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------

const SPACE_LIKE = /[\u00A0\u2000-\u200A\u2007\u202F\u205F\u3000\t\f\v]/g;
// An alternation, not a class: a class with U+200D (zero-width joiner) is flagged as a joined sequence.
const INVISIBLE = /\u200B|\u200C|\u200D|\u2060|\uFEFF/g;

/** Non-breaking and odd spaces become plain spaces, runs collapse, ends are trimmed; quotes stay as written. */
function normaliseSpaces(s: string): string {
  return s.replace(INVISIBLE, '').replace(SPACE_LIKE, ' ').replace(/ {2,}/g, ' ').trim();
}

function isAllCaps(s: string): boolean {
  return /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s);
}

function wordCount(s: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const space = s.charCodeAt(i) === 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

/** Ends like a sentence or a complete utterance, as opposed to a hard-wrapped line. */
const TERMINAL = /[.?!…:;"”’)\]»—]$/;

// ---------------------------------------------------------------------------
// Dates, times, places
// ---------------------------------------------------------------------------

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11,
  november: 11, dec: 12, december: 12,
};
const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const WEEKDAY_PREFIX = /^(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+/i;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_MONTH_YEAR = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_RE},?\\s+(\\d{4})$`, 'i');
const MONTH_DAY_YEAR = new RegExp(`^${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})$`, 'i');
/** A clock time after a date or a place: `, 10:30 a.m.`, ` at 15.00 (GMT)`, ` 3 p.m.`. */
const TRAILING_TIME =
  /(?:,|\s[-–—]|\sat)?\s+(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?)(?:\s*\(?[A-Za-z ]{2,12}\)?)?\.?$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The ISO date for a line that is only a date (optionally with a weekday and a time), else null. */
export function parseDate(line: string): string | null {
  let s = normaliseSpaces(line).replace(/\.$/, '');
  if (s.length === 0 || s.length > 60) return null;
  s = s.replace(WEEKDAY_PREFIX, '');
  for (let attempt = 0; attempt < 2; attempt++) {
    let m = ISO_DATE.exec(s);
    if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    m = DAY_MONTH_YEAR.exec(s);
    if (m) return isoDate(Number(m[3]), MONTHS[m[2].toLowerCase()], Number(m[1]));
    m = MONTH_DAY_YEAR.exec(s);
    if (m) return isoDate(Number(m[3]), MONTHS[m[1].toLowerCase()], Number(m[2]));
    const withoutTime = s.replace(TRAILING_TIME, '');
    if (withoutTime === s) break;
    s = withoutTime;
  }
  return null;
}

/** One comma-separated part of a place: capitalised words such as `Palais des Nations` or `New York`. */
function isPlacePart(part: string): boolean {
  if (!/^\p{Lu}[\p{L}\p{M} .'’\-&()]*$/u.test(part)) return false;
  return part.split(' ').every((w) => w === '' || /^[\p{Lu}(]/u.test(w) || NAME_PARTICLES.has(w) || w === 'des');
}

/** `City, Country` (optionally followed by a time or a date) → its place and date; null when the line is not one. */
function parsePlaceLine(line: string): { place: string; date: string | null } | null {
  if (line.length > 80 || !line.includes(',')) return null;
  const parts = line.split(',').map((p) => p.trim());
  // A dateline such as `New York, Thursday, 21 June 2018`: the date is a suffix of the parts.
  for (let cut = 1; cut < parts.length; cut++) {
    const date = parseDate(parts.slice(cut).join(', '));
    if (date) {
      const head = parts.slice(0, cut);
      if (head.every(isPlacePart) && wordCount(head.join(' ')) <= 8) return { place: head.join(', '), date };
      return null;
    }
  }
  const place = line.replace(TRAILING_TIME, '').trim().replace(/,$/, '');
  const placeParts = place.split(',').map((p) => p.trim());
  if (placeParts.length < 2 || wordCount(place) > 8 || !placeParts.every(isPlacePart)) return null;
  return { place: placeParts.join(', '), date: null };
}

// ---------------------------------------------------------------------------
// Timestamps and speaker labels
// ---------------------------------------------------------------------------

const TIMESTAMP = '(\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d{1,3})?)';
/** `[00:12:03] `, `(12:03) `, `00:12:03 - ` at the start of a line. */
const LEADING_TIMESTAMP = new RegExp(`^([\\[(])?${TIMESTAMP}([\\])])?(?:\\s*[-–—:]\\s*|\\s+|$)`);
/** `Name 00:12:03`, `Name [00:12:03]`, `Speaker 1 (0:04)`: a label then a timestamp (checked on a bounded slice). */
const LABEL_THEN_TIMESTAMP = new RegExp(`^(\\p{Lu}[^:\\[\\]()]{0,39}?)\\s+([\\[(])?${TIMESTAMP}([\\])])?`, 'u');
/** An all-caps label followed by a tab or two or more spaces: `Q  Why now?`. */
const SPACED_LABEL = /^(\p{Lu}[\p{Lu}\p{M}.'’-]*(?: \p{Lu}[\p{Lu}\p{M}.'’-]*){0,3})(?:\t|  +)(?=\S)/u;
const FOLLOW_UP_QUALIFIER = /^follow[- ]?up$/i;
const DROPPED_QUALIFIER = /^(?:cont['’]?d|contd|continued|continuing)$/i;
/** `(as interpreted)`, `(through interpreter)`, `(in Russian)`: said of the turn, not part of the name. */
const INTERPRETED_QUALIFIER =
  /^(?:as interpreted|interpreted|as translated|translated|interpretation|(?:speaking )?(?:through|via) (?:an? |the )?interpret(?:er|ers|ation)|(?:speaking )?in \p{Lu}\p{Ll}+(?: and \p{Lu}\p{Ll}+)?)$/iu;

function toSeconds(ts: string): number {
  const parts = ts.replace(',', '.').split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

type LabelForm =
  /** `LABEL: text` or `**LABEL:** text`, possibly with a timestamp. */
  | 'inline'
  /** A label alone on its line that says so itself: `Name:`, `**Name:**`, `[00:01:02] Name`. */
  | 'alone'
  /** `**Name**` or `Name 12:03` alone: a speaker, or a heading with a time; it needs text below it. */
  | 'alone-weak'
  /** An all-caps line alone, which may be a speaker or a header line; decided in context. */
  | 'alone-caps'
  /** `Q<tab>text`. */
  | 'spaced'
  /** `Q. text` and `A. text`: the period alone marks the label. */
  | 'dotted';

interface LabelMatch {
  label: string;
  rest: string;
  start: number | null;
  form: LabelForm;
  followUp: boolean;
  /** A note the label carries, e.g. `As interpreted` from `LAVROV (as interpreted):`. */
  note: string | null;
}

interface ValidLabel {
  label: string;
  followUp: boolean;
  note: string | null;
}

/** A short capitalised name such as `SG`, `MR. SMITH`, `Ms. Jane Doe`, `José Álvarez`, `Q (follow-up)`; null for anything sentence-like. */
function validateLabel(candidate: string): ValidLabel | null {
  let label = normaliseSpaces(candidate);
  if (label.length === 0 || label.length > 80) return null;
  let followUp = false;
  let note: string | null = null;
  const qualifiers: string[] = [];
  // Up to two qualifiers, as in `Ms. Doe (North Essex) (Lab)`; a third is not a label any more.
  for (let i = 0; i < 2; i++) {
    const q = /\s*\(([^()]{1,40})\)$/.exec(label);
    if (!q) break;
    label = label.slice(0, q.index);
    const inner = q[1].trim();
    if (FOLLOW_UP_QUALIFIER.test(inner)) followUp = true;
    else if (INTERPRETED_QUALIFIER.test(inner)) note = inner[0].toUpperCase() + inner.slice(1);
    else if (!DROPPED_QUALIFIER.test(inner)) qualifiers.unshift(` (${inner})`);
  }
  if (label.length > 40 || !/^\p{Lu}[\p{L}\p{M}\d .'’\-&]*$/u.test(label)) return null;
  const words = label.split(' ');
  if (words.length > 5) return null;
  for (const w of words) {
    if (!/^[\p{Lu}\d]/u.test(w) && !NAME_PARTICLES.has(w)) return null;
  }
  const lower = label.toLowerCase();
  if (NOT_LABELS.has(lower) || HEADER_KEYS.has(lower)) return null;
  if (FOLLOW_UP_LABELS.has(label.toUpperCase())) followUp = true;
  return { label: label + qualifiers.join(''), followUp, note };
}

/** The timestamp at the start of `rest`, if any, so that `Name: [00:01:02] text` keeps its time. */
function takeLeadingTimestamp(rest: string): { start: number | null; rest: string; strong: boolean } {
  const m = LEADING_TIMESTAMP.exec(rest);
  if (!m || Boolean(m[1]) !== Boolean(m[3])) return { start: null, rest, strong: false };
  // `[12:03]` or `00:12:03` is clearly a timestamp; a bare `12:00` may be a clock time in a header.
  const strong = Boolean(m[1]) || m[2].split(':').length === 3;
  return { start: toSeconds(m[2]), rest: rest.slice(m[0].length), strong };
}

/** Strips Markdown bold around a label: `**Name:** text`, `**Name**: text`, `**Name**` alone. */
function matchBold(s: string): LabelMatch | null {
  const m = /^\*\*([^*]{1,48})\*\*/.exec(s);
  if (!m) return null;
  let inner = m[1].trim();
  let after = s.slice(m[0].length);
  let alone = false;
  if (inner.endsWith(':')) inner = inner.slice(0, -1);
  else if (/^\s*:/.test(after)) after = after.replace(/^\s*:/, '');
  else if (after.trim() === '') alone = true;
  else return null;
  const valid = validateLabel(inner);
  if (!valid) return null;
  const ts = takeLeadingTimestamp(after.trim());
  return { ...valid, rest: ts.rest.trim(), start: ts.start, form: alone ? 'alone-weak' : 'inline' };
}

function matchLabelThenTimestamp(s: string): LabelMatch | null {
  const head = s.slice(0, 80);
  const m = LABEL_THEN_TIMESTAMP.exec(head);
  if (!m || Boolean(m[2]) !== Boolean(m[4])) return null;
  const rest = s.slice(m[0].length).replace(/^\s*[:\-–—]?\s*/, '');
  if (m[0].length < s.length && !/^[\s:\-–—]/.test(s.slice(m[0].length))) return null;
  // `At 10:30 we met` is prose; a bare `mm:ss` only counts when bracketed or alone with the label.
  const bracketed = Boolean(m[2]);
  const full = m[3].split(':').length === 3;
  if (!bracketed && !full && rest !== '') return null;
  const valid = validateLabel(m[1]);
  if (!valid) return null;
  const form: LabelForm = rest !== '' ? 'inline' : bracketed || full ? 'alone' : 'alone-weak';
  return { ...valid, rest, start: toSeconds(m[3]), form };
}

function matchColon(s: string): LabelMatch | null {
  const idx = s.indexOf(':');
  if (idx <= 0 || idx > 88) return null;
  // `At 10:30 we met` has a clock time, not a label.
  if (/\d/.test(s[idx - 1]) && /\d/.test(s[idx + 1] ?? '')) return null;
  const valid = validateLabel(s.slice(0, idx));
  if (!valid) return null;
  const ts = takeLeadingTimestamp(s.slice(idx + 1).trim());
  const rest = ts.rest.trim();
  return { ...valid, rest, start: ts.start, form: rest === '' ? 'alone' : 'inline' };
}

function matchSpaced(spaced: string): LabelMatch | null {
  const m = SPACED_LABEL.exec(spaced.slice(0, 60));
  if (!m) return null;
  const label = m[1];
  if (label.length === 1 && label !== 'Q' && label !== 'A') return null;
  const valid = validateLabel(label);
  if (!valid) return null;
  return { ...valid, rest: normaliseSpaces(spaced.slice(m[0].length)), start: null, form: 'spaced' };
}

function matchDotted(s: string): LabelMatch | null {
  const m = /^([QA])\. +(?=\S)/.exec(s);
  if (!m) return null;
  return { label: `${m[1]}.`, followUp: false, note: null, rest: s.slice(m[0].length), start: null, form: 'dotted' };
}

function matchAlone(s: string, explicit: boolean): LabelMatch | null {
  if (s.length > 42) return null;
  if (s.endsWith(':')) {
    const valid = validateLabel(s.slice(0, -1));
    return valid ? { ...valid, rest: '', start: null, form: 'alone' } : null;
  }
  const valid = validateLabel(s);
  if (!valid) return null;
  if (explicit) return { ...valid, rest: '', start: null, form: 'alone' };
  if (!isAllCaps(valid.label)) return null;
  if (valid.label.length === 1 && valid.label !== 'Q' && valid.label !== 'A') return null;
  return { ...valid, rest: '', start: null, form: 'alone-caps' };
}

/** Every way a line can open a turn, most specific first; `s` is whitespace-normalised, `spaced` keeps tabs and runs of spaces. */
function matchLabel(s: string, spaced: string): LabelMatch | null {
  const lead = takeLeadingTimestamp(s);
  if (lead.start !== null) {
    const body = lead.rest.trim();
    const m = matchBold(body) ?? matchColon(body) ?? matchAlone(body, lead.strong);
    return m ? { ...m, start: m.start ?? lead.start } : null;
  }
  return matchBold(s) ?? matchLabelThenTimestamp(s) ?? matchColon(s) ?? matchSpaced(spaced) ?? matchDotted(s) ?? matchAlone(s, false);
}

/** `(The briefing ended at 1:05 p.m.)`, `[Whereupon, at 12:15 p.m., the hearing was adjourned.]`. */
const BRACKETED_CLOSING =
  /^[([](?:whereupon\b.{0,160}|(?:the )?(?:press conference|news conference|conference|briefing|meeting|hearing|session|sitting|interview|event|house|committee)\b.{0,60}\b(?:ended|ends|adjourned|concluded|closed|rose|recessed)\b.{0,60})[)\]]\.?$/i;
/** A clock time alone, as a transcript's closing time: `12:45 p.m.`, `1.05 PM EDT`. */
const CLOCK_TIME = /^[([]?(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?)(?:\s*\(?[A-Z]{2,5}\)?)?[)\]]?\.?$/i;
/** A closing line at the very end: a clock time, `Meeting adjourned.`, `The briefing ended at 12:45 p.m.` */
const CLOSING_SENTENCE =
  /^(?:(?:the )?(?:press conference|news conference|conference|briefing|meeting|hearing|session|sitting|interview|event)\s+(?:was\s+)?(?:ended|ends|adjourned|concluded|closed)(?:\s+at\s+.{1,30})?|(?:meeting|hearing|session)\s+adjourned(?:\s+at\s+.{1,30})?)\.?$/i;

/** `END`, `END 12:45 P.M.`, `* * *`, `# # #`, `-30-`, a bracketed closing note: the end of the record, never speech. */
function isTrailer(s: string): boolean {
  const t = s.replace(/^\*\*(.*)\*\*$/, '$1').trim();
  if (/^(?:[*#]\s*){3,}$/.test(t) || /^-{3,}$/.test(t) || t === '-30-') return true;
  if (/^end of (?:transcript|briefing|press conference|the press conference|record)\.?$/i.test(t)) return true;
  if (t.length <= 240 && BRACKETED_CLOSING.test(t)) return true;
  return /^[([]?(?:END|ENDS)[)\]]?\.?(?:\s*[-–—:]?\s*(?:AT\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[AaPp]\.?\s?[Mm]\.?)?(?:\s*[A-Z]{2,4})?\.?)?[)\]]?$/.test(t);
}

/** A closing time or closing sentence; only trusted on the last lines, where no one speaks any more. */
function isClosingLine(s: string): boolean {
  return s.length <= 80 && (CLOCK_TIME.test(s) || CLOSING_SENTENCE.test(s));
}

// ---------------------------------------------------------------------------
// Lines → turns
// ---------------------------------------------------------------------------

interface Line {
  /** Whitespace-normalised and trimmed. */
  text: string;
  blank: boolean;
  trailer: boolean;
  label: LabelMatch | null;
  header: { key: string; value: string } | null;
  /** A Markdown heading (`## Questions`): structure, not speech. */
  heading: boolean;
  /** The time of a line that is only a timestamp (`[00:12:03]`), else null. */
  stamp: number | null;
}

/** `*(Laughter.)*` and `_[Applause]_`: Markdown emphasis around a whole stage note. */
const EMPHASISED_NOTE = /^([*_])([([][^*_]{1,200}[)\]]\.?)\1$/;

function classify(raw: string): Line {
  let text = normaliseSpaces(raw);
  const emphasised = EMPHASISED_NOTE.exec(text);
  if (emphasised) text = emphasised[2];
  const line: Line = { text, blank: text === '', trailer: false, label: null, header: null, heading: false, stamp: null };
  if (line.blank) return line;
  if (isTrailer(text)) {
    line.trailer = true;
    return line;
  }
  if (/^#{1,6}\s/.test(text)) {
    line.heading = true;
    return line;
  }
  const colon = text.indexOf(':');
  if (colon > 0 && colon <= 20) {
    const key = text.slice(0, colon).replace(/^\*\*/, '').trim().toLowerCase();
    if (HEADER_KEYS.has(key)) {
      line.header = { key, value: text.slice(colon + 1).replace(/^\*\*/, '').trim() };
      return line;
    }
  }
  const lead = takeLeadingTimestamp(text);
  if (lead.start !== null && lead.strong && lead.rest.trim() === '') {
    line.stamp = lead.start;
    return line;
  }
  const spaced = raw.replace(INVISIBLE, '').replace(/[\u00A0\u2007\u202F]/g, ' ').trim();
  line.label = matchLabel(text, spaced);
  return line;
}

function nextContentLine(lines: Line[], from: number): Line | null {
  for (let i = from; i < lines.length; i++) {
    if (!lines[i].blank) return lines[i];
  }
  return null;
}

/**
 * Decides which label candidates really open a turn. Inline labels are trusted
 * unless context says they are a header line or a stray capitalised phrase;
 * all-caps lines alone need corroboration, because headers are full of them.
 */
function acceptLabels(lines: Line[]): boolean[] {
  const counts = new Map<string, number>();
  for (const line of lines) {
    if (line.label) counts.set(line.label.label, (counts.get(line.label.label) ?? 0) + 1);
  }
  const accepted = lines.map((line, i) => {
    const m = line.label;
    if (!m) return false;
    // `A. text` could be an item in a list; it only answers when `Q. text` asks.
    if (m.form === 'dotted') return m.label === 'Q.' || counts.has('Q.');
    // An empty turn is dropped later, so a lone `Name:` never swallows the line below it as text.
    if (m.form === 'inline' || m.form === 'spaced' || m.form === 'alone') return true;
    const next = nextContentLine(lines, i + 1);
    if (!next || next.label || next.trailer) return false;
    if (m.form === 'alone-weak') return true;
    return isKnownLabel(m.label) || (counts.get(m.label) ?? 0) >= 2 || TERMINAL.test(next.text);
  });

  // In a document whose recurring labels are all caps (`SG:`, `Q:`), a one-off
  // title-case `UN Charter: the text…` is a paragraph that happens to open with a
  // colon; the lower-case continuation tells it from a one-off speaker `Ms. Doe: Yes.`
  const acceptedCounts = new Map<string, number>();
  lines.forEach((line, i) => {
    if (accepted[i] && line.label) acceptedCounts.set(line.label.label, (acceptedCounts.get(line.label.label) ?? 0) + 1);
  });
  let recurring = 0;
  let recurringCaps = 0;
  for (const [label, count] of acceptedCounts) {
    if (count >= 2) {
      recurring++;
      if (isAllCaps(label)) recurringCaps++;
    }
  }
  if (recurring > 0 && recurring === recurringCaps) {
    lines.forEach((line, i) => {
      const m = line.label;
      const stray =
        m?.form === 'inline' &&
        counts.get(m.label) === 1 &&
        !isAllCaps(m.label) &&
        !isKnownLabel(m.label) &&
        /^\p{Ll}/u.test(m.rest);
      if (accepted[i] && stray) accepted[i] = false;
    });
  }

  // A title such as `Press Conference: Secretary-General on Syria` looks like a
  // label; before the first turn, a one-off title-case label with a short,
  // unpunctuated rest is read as a header line when real turns follow.
  const first = accepted.indexOf(true);
  if (first >= 0) {
    const m = lines[first].label!;
    const laterTurns = accepted.some((a, i) => a && i > first);
    const firstText = m.rest || nextContentLine(lines, first + 1)?.text || '';
    if (
      laterTurns &&
      (m.form === 'inline' || m.form === 'alone' || m.form === 'alone-weak') &&
      counts.get(m.label) === 1 &&
      !isAllCaps(m.label) &&
      !isKnownLabel(m.label) &&
      wordCount(firstText) <= 12 &&
      !TERMINAL.test(firstText)
    ) {
      accepted[first] = false;
    }
  }
  return accepted;
}

interface RawTurn {
  label: string;
  followUp: boolean;
  start: number | null;
  /** A note carried by the label, e.g. `As interpreted`. */
  note: string | null;
  /** Content lines, `''` for a blank line. */
  lines: string[];
}

const WHOLE_BRACKET_NOTE = /^\[([^[\]]{1,200})\]$/;
const WHOLE_PAREN_NOTE = /^\(([^()]{1,200})\)\.?$/;

function isWholeNote(s: string): boolean {
  return WHOLE_BRACKET_NOTE.test(s) || WHOLE_PAREN_NOTE.test(s);
}

/**
 * Blank lines inside a turn mean the document marks paragraphs with blank
 * lines, so single newlines are hard wraps. Without them each line is a
 * paragraph, unless most line breaks fall mid-sentence (a hard-wrapped file
 * with no paragraph breaks), where each turn is one wrapped paragraph.
 */
function joinsWrappedLines(turns: RawTurn[]): boolean {
  let breaks = 0;
  let midSentence = 0;
  for (const turn of turns) {
    const first = turn.lines.findIndex((l) => l !== '');
    if (first < 0) continue;
    let last = turn.lines.length - 1;
    while (turn.lines[last] === '') last--;
    for (let i = first; i <= last; i++) {
      if (turn.lines[i] === '') return true;
      if (i < last && turn.lines[i + 1] !== '') {
        breaks++;
        if (!TERMINAL.test(turn.lines[i])) midSentence++;
      }
    }
  }
  return breaks >= 4 && midSentence / breaks >= 0.6;
}

function paragraphsOf(lines: string[], blocks: boolean): string[] {
  if (!blocks) return lines.filter((l) => l !== '');
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) paragraphs.push(current.join(' '));
    current = [];
  };
  for (const line of lines) {
    if (line === '') flush();
    else if (isWholeNote(line)) {
      flush();
      paragraphs.push(line);
    } else current.push(line);
  }
  flush();
  return paragraphs;
}

/** `Laughter.` → `Laughter`, but `U.S.` keeps its period. */
function cleanNote(s: string): string {
  const t = s.trim();
  return /\p{Ll}\.$/u.test(t) ? t.slice(0, -1) : t;
}

/** Stage directions that may stand inside a paragraph: `Thank you. (Laughter.) Now…`. */
const STAGE_WORDS =
  /^(?:laughter|laughs|laughing|chuckles|chuckling|applause|cheers|cross-?talk|inaudible|unintelligible|indiscernible|as interpreted|interpreted|off[- ]?mic(?:rophone)?|pause|pauses|interruption|interrupting|interposing|overlapping(?: speech)?|music|silence|technical difficulties|audio (?:cuts out|drops out|gap)|no audio|sighs|coughs)\b/i;
const INLINE_NOTE = /[([]([^()[\]]{1,60})[)\]]/g;

/**
 * Takes stage directions out of a paragraph where they stand between sentences.
 * One inside a sentence (`he said [inaudible] and left`) marks a gap in the
 * speech and stays, so that the sentence still reads as spoken.
 */
function takeInlineNotes(paragraph: string, notes: string[]): string {
  if (!paragraph.includes('(') && !paragraph.includes('[')) return paragraph;
  let s = paragraph;
  let from = 0;
  for (;;) {
    INLINE_NOTE.lastIndex = from;
    const m = INLINE_NOTE.exec(s);
    if (!m) break;
    const inner = m[1].trim();
    let before = s.slice(0, m.index).trimEnd();
    let after = s.slice(m.index + m[0].length).trimStart();
    const betweenSentences = before === '' || /[.?!…:;"”’—–]$/.test(before);
    const endsSentence = after === '' || /^[.?!…]/.test(after);
    if (!STAGE_WORDS.test(inner) || !(betweenSentences || endsSentence)) {
      from = m.index + 1;
      continue;
    }
    notes.push(cleanNote(inner));
    // `Thank you. (Laughter). Now` would keep a stray period.
    if (after.startsWith('.') && (before === '' || /[.?!…]$/.test(before))) after = after.slice(1).trimStart();
    if (before === '' && /^[.,;:]/.test(after)) after = after.slice(1).trimStart();
    before = before.trimEnd();
    const glue = before === '' || after === '' || /^[.?!,;:…]/.test(after) ? '' : ' ';
    s = before + glue + after;
    from = before.length;
  }
  return s;
}

/** Moves editorial notes out of the speech: a leading `[…]`, `[…]` or `(…)` paragraphs, and stage directions between sentences. */
export function separateNotes(paragraphs: readonly string[], carried: string | null = null): { paragraphs: string[]; note: string | null } {
  const notes: string[] = carried ? [carried] : [];
  const kept: string[] = [];
  paragraphs.forEach((p, i) => {
    let para = p;
    if (i === 0 && para.startsWith('[')) {
      const end = para.indexOf(']');
      if (end > 1) {
        notes.push(cleanNote(para.slice(1, end)));
        para = para.slice(end + 1).trim();
      }
    }
    const whole = WHOLE_BRACKET_NOTE.exec(para) ?? WHOLE_PAREN_NOTE.exec(para);
    if (whole) notes.push(cleanNote(whole[1]));
    else {
      para = takeInlineNotes(para, notes);
      if (para !== '') kept.push(para);
    }
  });
  const nonEmpty = notes.filter((n) => n !== '');
  return { paragraphs: kept, note: nonEmpty.length > 0 ? nonEmpty.join('; ') : null };
}

// ---------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------

function stripMarkdown(s: string): string {
  return normaliseSpaces(
    s
      .replace(/^#{1,6}\s+/, '')
      .replace(/^\*\*(.*)\*\*$/, '$1')
      .replace(/^__(.*)__$/, '$1')
      .replace(/^\*(.*)\*$/, '$1'),
  );
}

/** YAML front matter at the top of a Markdown file: its simple `key: value` fields and the text after it. */
function splitFrontMatter(text: string): { fields: Map<string, string>; body: string } {
  const none = { fields: new Map<string, string>(), body: text };
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!open) return none;
  const rest = text.slice(open[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*$/m.exec(rest.slice(0, 20_000));
  if (!close) return none;
  const fields = new Map<string, string>();
  for (const raw of rest.slice(0, close.index).split(/\r\n|\r|\n/)) {
    if (raw.trim() === '' || raw.trimStart().startsWith('#') || /^\s/.test(raw) || raw.startsWith('- ')) continue;
    const m = /^([A-Za-z_][\w-]{0,40})\s*:\s*(.*)$/.exec(raw);
    // Anything else means the dashes were a rule, not front matter.
    if (!m) return none;
    const value = m[2].trim().replace(/^(["'])(.*)\1$/, '$2').trim();
    if (value && !fields.has(m[1].toLowerCase())) fields.set(m[1].toLowerCase(), normaliseSpaces(value));
  }
  return { fields, body: rest.slice(close.index + close[0].length) };
}

function parseHeader(lines: Line[], front: Map<string, string>, fallbackTitle: string | undefined): { title: string; date: string | null; place: string | null } {
  const frontDate = front.get('date');
  let title: string | null = front.get('title') ?? null;
  let date: string | null = frontDate ? (parseDate(frontDate) ?? frontDate) : null;
  let place: string | null = front.get('place') ?? front.get('location') ?? front.get('venue') ?? null;
  const candidates: string[] = [];
  for (const line of lines) {
    if (line.header) {
      const { key, value } = line.header;
      if (!value) continue;
      if (key === 'title' && !title) title = value;
      else if (key === 'date' && !date) date = parseDate(value) ?? value;
      else if ((key === 'place' || key === 'location' || key === 'venue') && !place) place = value;
      continue;
    }
    if (line.blank || line.trailer || line.stamp !== null) continue;
    const text = stripMarkdown(line.text).replace(/\s*:$/, '');
    if (!text || CLOCK_TIME.test(text)) continue;
    const asDate = parseDate(text);
    if (asDate) {
      date ??= asDate;
      continue;
    }
    if (!place) {
      const p = parsePlaceLine(text);
      if (p) {
        place = p.place;
        date ??= p.date;
        continue;
      }
    }
    candidates.push(text);
  }
  if (!title) {
    for (const c of candidates) {
      if (!title || c.length > title.length) title = c;
    }
  }
  return { title: title ?? (fallbackTitle?.trim() || UNTITLED), date, place };
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/** Throws a TranscriptParseError when the text is empty or is not text at all (a binary file read as text). */
export function assertReadableText(text: string, source?: string): void {
  if (text.trim() === '') throw new TranscriptParseError('The file is empty', source);
  if (text.includes('\u0000')) {
    throw new TranscriptParseError('The file looks binary (it contains NUL bytes): expected a plain-text transcript', source);
  }
  let unreadable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 12 && c !== 13) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd) unreadable++;
  }
  if (unreadable > text.length * 0.1) {
    throw new TranscriptParseError('The file looks binary (much of it is not printable text): expected a plain-text transcript', source);
  }
}

/** Marks closing times and closing sentences on the last lines as trailers. */
function markClosingLines(lines: Line[]): void {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (line.blank || line.trailer) continue;
    if (line.label || !isClosingLine(line.text)) return;
    line.trailer = true;
  }
}

/** The index of the next line that is not blank, or -1. */
function nextContentIndex(lines: Line[], from: number): number {
  for (let i = from; i < lines.length; i++) if (!lines[i].blank) return i;
  return -1;
}

/** Parses a plain-text or Markdown transcript into turns, speakers and exchanges; throws TranscriptParseError when it cannot. */
export function parseTranscript(text: string, options: ParseOptions = {}): Transcript {
  const { source } = options;
  assertReadableText(text, source);

  const { fields, body } = splitFrontMatter(text);
  const lines = body.split(/\r\n|\r|\n/).map(classify);
  markClosingLines(lines);
  const accepted = acceptLabels(lines);
  const firstTurn = accepted.indexOf(true);
  if (firstTurn < 0) {
    throw new TranscriptParseError('No speaker labels found: expected lines such as `NAME: text`', source);
  }

  // A timestamp alone on the line before a label is that turn's start.
  const stampFor = (i: number): number | null => {
    const stamp = lines[i].stamp;
    const next = nextContentIndex(lines, i + 1);
    return stamp !== null && next >= 0 && accepted[next] ? stamp : null;
  };
  let pendingStart: number | null = null;
  for (let i = firstTurn - 1; i >= 0 && (lines[i].blank || lines[i].stamp !== null); i--) {
    if (lines[i].stamp !== null) {
      pendingStart = stampFor(i);
      break;
    }
  }

  const rawTurns: RawTurn[] = [];
  let inFooter = false;
  for (let i = firstTurn; i < lines.length; i++) {
    const line = lines[i];
    if (accepted[i]) {
      const m = line.label!;
      rawTurns.push({ label: m.label, followUp: m.followUp, start: m.start ?? pendingStart, note: m.note, lines: m.rest ? [m.rest] : [] });
      pendingStart = null;
      inFooter = false;
    } else if (line.trailer) {
      inFooter = true;
    } else if (line.stamp !== null) {
      pendingStart = stampFor(i);
    } else if (!inFooter && !line.heading) {
      rawTurns[rawTurns.length - 1].lines.push(line.text);
    }
  }

  const blocks = joinsWrappedLines(rawTurns);
  const drafts: TurnDraft[] = [];
  let lastAsker: string | null = null;
  for (const raw of rawTurns) {
    const { paragraphs, note } = separateNotes(paragraphsOf(raw.lines, blocks), raw.note);
    if (paragraphs.length === 0 && note === null) continue;
    let speaker = raw.label;
    let followUp = raw.followUp;
    // A bare `FOLLOW-UP:` label names no one: the follow-up comes from whoever asked last.
    if (FOLLOW_UP_LABELS.has(labelKey(speaker))) {
      followUp = true;
      if (lastAsker) speaker = lastAsker;
    }
    if (isQuestionLabel(speaker)) lastAsker = speaker;
    drafts.push({ speaker, paragraphs, note, start: raw.start, followUp });
  }
  if (drafts.length === 0) {
    throw new TranscriptParseError('No turn found: every speaker label is followed by nothing', source);
  }

  const head = parseHeader(lines.slice(0, firstTurn), fields, options.fallbackTitle);
  return assembleTranscript(head, drafts);
}

/** A speaker prefix at the start of a subtitle cue (`Maya Chen: text`, `**Q:** text`), for the cue readers. */
export function matchCuePrefix(text: string): { label: string; rest: string; note: string | null } | null {
  const s = normaliseSpaces(text);
  const m = matchBold(s) ?? matchColon(s);
  if (!m || m.rest === '' || m.form !== 'inline') return null;
  return { label: m.label, rest: m.rest, note: m.note };
}

export { normaliseSpaces };
