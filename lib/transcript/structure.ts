/**
 * From a list of turns to a whole transcript: turn ids, speakers and their
 * roles, turn kinds, and question/answer exchanges. Every reader (plain text,
 * WebVTT, SRT, Word) and every preview edit ends here, so a transcript is
 * always numbered and paired the same way however it was made.
 */
import {
  PARAGRAPH_SEPARATOR,
  type Exchange,
  type Speaker,
  type SpeakerRole,
  type Transcript,
  type Turn,
  type TurnKind,
} from './types';

/** A turn before numbering and classification: what a reader or an edit produces. */
export interface TurnDraft {
  /** The speaker label as written. */
  speaker: string;
  /** Spoken paragraphs, notes already taken out. */
  paragraphs: string[];
  note: string | null;
  start: number | null;
  /** Marked as a follow-up by its label (`Q (follow-up):`) or by an earlier structure. */
  followUp?: boolean;
}

/** Header fields of a transcript. */
export interface TranscriptHead {
  title: string;
  date: string | null;
  place: string | null;
}

export interface AssembleOptions {
  /** Roles decided already (by the analyst in the preview); other speakers get an inferred role. */
  roles?: ReadonlyMap<string, SpeakerRole>;
  /** Readable names decided already; other speakers get their label, expanded where it is a known abbreviation. */
  names?: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/** Labels whose speaker asks the questions (compared upper-case, without a trailing period or qualifier). */
export const QUESTION_LABELS = new Set([
  'Q',
  'QUESTION',
  'QUESTIONER',
  'REPORTER',
  'JOURNALIST',
  'CORRESPONDENT',
  'INTERVIEWER',
  'AUDIENCE',
  'AUDIENCE MEMBER',
  'FOLLOW-UP',
  'FOLLOW UP',
  'FOLLOWUP',
]);

export const FOLLOW_UP_LABELS = new Set(['FOLLOW-UP', 'FOLLOW UP', 'FOLLOWUP']);

/** Labels of people who run the event; they moderate when someone else answers. */
const MODERATOR_LABELS = new Set([
  'MODERATOR',
  'SPOKESPERSON',
  'SPOKESMAN',
  'SPOKESWOMAN',
  'DEPUTY SPOKESPERSON',
  'ASSOCIATE SPOKESPERSON',
  'FACILITATOR',
  'MASTER OF CEREMONIES',
  'MC',
  'CHAIR',
  'THE CHAIR',
  'CHAIRMAN',
  'THE CHAIRMAN',
  'CHAIRWOMAN',
  'THE CHAIRWOMAN',
  'CHAIRPERSON',
  'THE CHAIRPERSON',
  'PRESIDING OFFICER',
  'THE PRESIDING OFFICER',
  'THE SPEAKER',
  'MR. SPEAKER',
  'MR SPEAKER',
  'MADAM SPEAKER',
]);

/** A qualifier such as `(Moderator)` or `(Chair)` gives the role of a named speaker. */
const MODERATOR_QUALIFIERS = /^(?:moderator|moderating|chair|chairman|chairwoman|chairperson|spokesperson|host of the briefing|facilitator|mc)$/i;

/** First words of labels of people who ask: members of a committee or a parliament, show hosts. */
const ASKER_TITLES = /^(?:SEN(?:ATOR)?|REP(?:RESENTATIVE)?|CONGRESS(?:MAN|WOMAN|MEMBER)|COUNCILL?OR|HOST|CO-HOST|PRESENTER|ANCHOR)\b/;

/** Labels that answer by their nature, never taken for askers because they end turns with questions. */
const ANSWER_LABELS = new Set(['A', 'ANSWER', 'GUEST', 'WITNESS', 'SG', 'DSG', 'RESPONDENT', 'INTERVIEWEE']);

export const LABEL_NAMES: Record<string, string> = {
  SG: 'Secretary-General',
  DSG: 'Deputy Secretary-General',
  Q: 'Question',
  QUESTION: 'Question',
};

/** Upper-case key used to compare labels against the vocabularies above. */
export function labelKey(label: string): string {
  return label
    .replace(/\s*\([^()]*\)$/, '')
    .replace(/\.$/, '')
    .toUpperCase();
}

/** The text of a trailing `(…)` qualifier, e.g. `Moderator` in `Ms. Diaz (Moderator)`. */
function qualifierOf(label: string): string | null {
  const m = /\(([^()]*)\)$/.exec(label);
  return m ? m[1].trim() : null;
}

/** True when the label says its speaker asks (`Q`, `QUESTION`, `REPORTER (Reuters)`…). */
export function isQuestionLabel(label: string): boolean {
  return QUESTION_LABELS.has(labelKey(label));
}

function isModeratorLabel(label: string): boolean {
  const q = qualifierOf(label);
  return MODERATOR_LABELS.has(labelKey(label)) || (q !== null && MODERATOR_QUALIFIERS.test(q));
}

/** True for labels whose role the vocabulary knows, so that context need not confirm them. */
export function isKnownLabel(label: string): boolean {
  const key = labelKey(label);
  return QUESTION_LABELS.has(key) || MODERATOR_LABELS.has(key) || key in LABEL_NAMES || key === 'A' || key === 'ANSWER';
}

/** The readable name of a label: `SG` → `Secretary-General`; names stay as written. */
export function expandName(label: string): string {
  const m = /^(.*?)(\s*\([^()]*\))?$/.exec(label);
  const base = (m?.[1] ?? label).replace(/\.$/, '');
  const name = LABEL_NAMES[base.toUpperCase()];
  // Only the written abbreviations expand: `SG` and `QUESTION` do, a name such as `Sg` does not.
  if (!name || (base !== base.toUpperCase() && base !== 'Question')) return label;
  return name + (m?.[2] ?? '');
}

// ---------------------------------------------------------------------------
// Topics
// ---------------------------------------------------------------------------

const TOPIC_LENGTH = 60;

function shorten(s: string): string {
  if (s.length <= TOPIC_LENGTH) return s;
  const space = s.lastIndexOf(' ', TOPIC_LENGTH);
  const cut = space > TOPIC_LENGTH / 3 ? s.slice(0, space) : s.slice(0, TOPIC_LENGTH);
  return cut.replace(/[\s,;:.\-–—]+$/, '') + '…';
}

/** A topic from the question's note (`In Russian, on UN reform` → `UN reform`), else its first sentence. */
function topicOf(turn: Turn, number: number): string {
  if (turn.note) {
    const m = /(?:^|[\s,;(])(?:on|about|regarding|concerning)\s+(\S.*)$/i.exec(turn.note);
    if (m) return m[1].replace(/[.;,\s]+$/, '');
  }
  const text = turn.text || turn.note;
  if (!text) return `Question ${number}`;
  const head = text.slice(0, 400).split(PARAGRAPH_SEPARATOR)[0];
  const sentence = /^.*?[.?!…](?=\s|$)/.exec(head);
  return shorten((sentence ? sentence[0] : head).trim());
}

// ---------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------

/** The turn's last words are a question (closing quotes and brackets aside). */
function endsWithQuestion(paragraphs: string[]): boolean {
  const last = paragraphs[paragraphs.length - 1];
  if (!last) return false;
  return /\?[\s"”’)\]»]*$/.test(last.slice(-12));
}

/**
 * Roles from the labels first (`Q` asks, `MODERATOR` moderates when someone
 * else answers, `Senator …` asks); then, for named speakers the labels say
 * nothing about, whoever ends most turns with a question asks, as long as
 * someone is left to answer.
 */
function inferRoles(order: string[], turnsBy: Map<string, TurnDraft[]>): Map<string, SpeakerRole> {
  const roles = new Map<string, SpeakerRole>();
  const open: string[] = [];
  for (const label of order) {
    const key = labelKey(label);
    if (QUESTION_LABELS.has(key)) roles.set(label, 'asks');
    else if (isModeratorLabel(label)) roles.set(label, 'moderates');
    else if (ASKER_TITLES.test(key)) roles.set(label, 'asks');
    else {
      roles.set(label, 'answers');
      if (!ANSWER_LABELS.has(key)) open.push(label);
    }
  }
  const byRatio = open.filter((label) => {
    const turns = turnsBy.get(label)!;
    const asking = turns.filter((t) => endsWithQuestion(t.paragraphs)).length;
    return asking > 0 && asking * 2 >= turns.length;
  });
  const answerers = order.filter((l) => roles.get(l) === 'answers' && !byRatio.includes(l));
  if (answerers.length > 0) for (const label of byRatio) roles.set(label, 'asks');

  // A spokesperson who is the only one answering is a respondent; one who hands over to others moderates.
  const respondents = order.filter((l) => roles.get(l) === 'answers');
  for (const label of order) {
    if (roles.get(label) === 'moderates' && respondents.length === 0) roles.set(label, 'answers');
  }
  return roles;
}

// ---------------------------------------------------------------------------
// Exchanges
// ---------------------------------------------------------------------------

const FOLLOW_UP_TEXT = /^(?:follow[- ]?up(?: question)?\s*[:.\-–—]|(?:just )?(?:to|a) (?:quick )?follow[- ]?up\b|following up\b)/i;
/** A turn cut off by the next speaker: `We will—`, `and then…`. */
const INTERRUPTED = /(?:—|–|--|-|…|\.\.\.)["”’]?$/;
/** A turn that picks up a sentence: `—the timeline?`, `…and the cost?`, `and the cost?`. */
const CONTINUES = /^(?:—|–|--|…|\.\.\.|\p{Ll})/u;

function lastWords(turn: Turn): string {
  return turn.paragraphs[turn.paragraphs.length - 1]?.slice(-8) ?? '';
}

/** A question that follows up on the open exchange by its own text or by context, with no marker needed. */
function followsUpByContext(turn: Turn, previous: Turn | null, answered: boolean): boolean {
  const first = turn.paragraphs[0] ?? '';
  return (
    FOLLOW_UP_TEXT.test(first) ||
    CONTINUES.test(first) ||
    !answered ||
    (previous !== null && previous.kind !== 'question' && INTERRUPTED.test(lastWords(previous)))
  );
}

/** Kinds and exchanges: a question opens an exchange, unless it follows up on the one that is open. */
function pairExchanges(turns: Turn[], roles: Map<string, SpeakerRole>, followUps: Set<Turn>): Exchange[] {
  const exchanges: Exchange[] = [];
  let current: Exchange | null = null;
  // Whether the open exchange has had an answer yet: a second question before any answer belongs to the first.
  let answered = false;
  let previous: Turn | null = null;
  for (const turn of turns) {
    const role = roles.get(turn.speaker)!;
    let kind: TurnKind;
    if (role === 'asks') {
      kind = 'question';
      if (current && (followUps.has(turn) || followsUpByContext(turn, previous, answered))) current.answers.push(turn.id);
      else {
        const number = exchanges.length + 1;
        current = { id: `x${number}`, number, question: turn.id, answers: [], topic: topicOf(turn, number) };
        exchanges.push(current);
        answered = false;
      }
    } else if (role === 'moderates') {
      kind = 'remark';
      // Kept in the open exchange so that the transcript reads in order, exchange by exchange.
      current?.answers.push(turn.id);
    } else if (current) {
      kind = 'answer';
      current.answers.push(turn.id);
      answered = true;
    } else {
      kind = 'statement';
    }
    turn.kind = kind;
    previous = turn;
  }
  return exchanges;
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/** Numbers the turns (`t1`…), lists the speakers with roles and turn counts, and pairs questions with answers. */
export function assembleTranscript(head: TranscriptHead, drafts: readonly TurnDraft[], options: AssembleOptions = {}): Transcript {
  const turns: Turn[] = [];
  const followUps = new Set<Turn>();
  const order: string[] = [];
  const turnsBy = new Map<string, TurnDraft[]>();
  for (const d of drafts) {
    if (d.paragraphs.length === 0 && d.note === null) continue;
    const turn: Turn = {
      id: `t${turns.length + 1}`,
      index: turns.length,
      speaker: d.speaker,
      kind: 'statement',
      text: d.paragraphs.join(PARAGRAPH_SEPARATOR),
      paragraphs: [...d.paragraphs],
      note: d.note,
      start: d.start,
    };
    if (d.followUp) followUps.add(turn);
    turns.push(turn);
    const list = turnsBy.get(d.speaker);
    if (list) list.push(d);
    else {
      order.push(d.speaker);
      turnsBy.set(d.speaker, [d]);
    }
  }

  const inferred = inferRoles(order, turnsBy);
  const roles = new Map(order.map((label) => [label, options.roles?.get(label) ?? inferred.get(label)!]));
  const speakers: Speaker[] = order.map((label) => ({
    label,
    name: options.names?.get(label) ?? expandName(label),
    role: roles.get(label)!,
    turns: turnsBy.get(label)!.length,
  }));
  const exchanges = pairExchanges(turns, roles, followUps);
  return { title: head.title, date: head.date, place: head.place, speakers, turns, exchanges };
}

/**
 * The drafts a transcript was assembled from, so that an edit can change them
 * and assemble again. Only follow-ups that a marker in the source made (such as
 * `Q (follow-up):`) are carried over as such; the others are found again from
 * the edited context, so that an edit can undo them.
 */
export function draftsOf(t: Transcript): TurnDraft[] {
  const inExchange = new Set<string>();
  for (const x of t.exchanges) for (const id of x.answers) inExchange.add(id);
  let answered = false;
  let previous: Turn | null = null;
  return t.turns.map((turn) => {
    let followUp = false;
    if (turn.kind === 'question') {
      if (inExchange.has(turn.id)) followUp = !followsUpByContext(turn, previous, answered);
      else answered = false;
    } else if (turn.kind === 'answer') answered = true;
    previous = turn;
    return { speaker: turn.speaker, paragraphs: [...turn.paragraphs], note: turn.note, start: turn.start, followUp };
  });
}
