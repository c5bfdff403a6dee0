import type { Comment, Thread, Verdict } from '../doc/commentary';
import { threadsOf } from '../doc/commentary';
import type { QuoteBlock } from '../doc/brief';
import { firstSentences } from '../anchor/passage';
import type { Exchange, Transcript, Turn } from '../transcript/types';

/**
 * What every export format shows, worked out once: the title block and the
 * appendix of comments grouped by section (opening, each exchange, other
 * remarks). Each format only decides how to draw it, so a Markdown file and a
 * PDF of the same session never disagree about what is in it.
 */

/** Lookups over a transcript that every exporter needs. */
export interface TranscriptIndex {
  turns: Map<string, Turn>;
  order: Map<string, number>;
  exchangeOfTurn: Map<string, Exchange>;
  speakerName(turn: Turn): string;
}

/** Builds the lookups for one transcript. */
export function indexTranscript(t: Transcript): TranscriptIndex {
  const exchangeOfTurn = new Map<string, Exchange>();
  for (const x of t.exchanges) {
    exchangeOfTurn.set(x.question, x);
    for (const a of x.answers) exchangeOfTurn.set(a, x);
  }
  const names = new Map(t.speakers.map((s) => [s.label, s.name]));
  return {
    turns: new Map(t.turns.map((turn) => [turn.id, turn])),
    order: new Map(t.turns.map((turn) => [turn.id, turn.index])),
    exchangeOfTurn,
    speakerName: (turn) => names.get(turn.speaker) ?? turn.speaker,
  };
}

/** One turn in the appendix with what was said about it. */
export interface TurnEntry {
  turn: Turn;
  speaker: string;
  /** The question's first sentences or the answer's gist; empty for a question asked off the record. */
  gist: string;
  /** Each verdict value with its count, in the order first given. */
  verdicts: [string, number][];
  threads: Thread[];
}

export interface OutlineSection {
  heading: string;
  turns: TurnEntry[];
}

export interface SessionOutline {
  title: string;
  /** The transcript's title when the session has its own, else null. */
  transcriptTitle: string | null;
  place: string | null;
  date: string | null;
  threadCount: number;
  replyCount: number;
  sections: OutlineSection[];
}

/** The minimum an outline needs; SessionExportInput satisfies it. */
export interface OutlineInput {
  sessionTitle: string;
  transcript: Transcript;
  comments: readonly Comment[];
  verdicts: readonly Verdict[];
}

function tallyOf(verdicts: readonly Verdict[], turnId: string): [string, number][] {
  const tally = new Map<string, number>();
  for (const v of verdicts) if (v.turnId === turnId) tally.set(v.value, (tally.get(v.value) ?? 0) + 1);
  return [...tally];
}

/** Groups the session's commentary into the sections every format prints. */
export function sessionOutline(input: OutlineInput): SessionOutline {
  const { transcript } = input;
  const ix = indexTranscript(transcript);
  const threads = threadsOf(input.comments, ix.order);
  const byTurn = new Map<string, Thread[]>();
  for (const th of threads) {
    const list = byTurn.get(th.root.turnId) ?? [];
    list.push(th);
    byTurn.set(th.root.turnId, list);
  }

  const entry = (turn: Turn): TurnEntry => ({
    turn,
    speaker: ix.speakerName(turn),
    gist: turn.kind === 'question' ? (turn.text ? firstSentences(turn.text, 3) : '') : firstSentences(turn.text, 2),
    verdicts: tallyOf(input.verdicts, turn.id),
    threads: byTurn.get(turn.id) ?? [],
  });
  const entries = (ids: string[]) => ids.map((id) => ix.turns.get(id)).filter((t): t is Turn => !!t).map(entry);

  const sections: OutlineSection[] = [];
  const firstQuestion = transcript.exchanges[0] ? ix.turns.get(transcript.exchanges[0].question) : undefined;
  const before = transcript.turns.filter(
    (t) => !ix.exchangeOfTurn.has(t.id) && (transcript.exchanges[0] ? t.index < (firstQuestion?.index ?? 0) : true),
  );
  if (before.length) {
    sections.push({
      heading: before.length === 1 && before[0].kind === 'statement' ? 'Opening statement' : 'Opening',
      turns: entries(before.map((t) => t.id)),
    });
  }
  for (const x of transcript.exchanges) {
    sections.push({ heading: `Exchange ${x.number}: ${x.topic}`, turns: entries([x.question, ...x.answers]) });
  }
  const after = transcript.turns.filter((t) => !ix.exchangeOfTurn.has(t.id) && !before.includes(t));
  if (after.length) sections.push({ heading: 'Other remarks', turns: entries(after.map((t) => t.id)) });

  return {
    title: input.sessionTitle || transcript.title,
    transcriptTitle: input.sessionTitle && input.sessionTitle !== transcript.title ? transcript.title : null,
    place: transcript.place,
    date: transcript.date,
    threadCount: threads.length,
    replyCount: threads.reduce((n, t) => n + t.replies.length, 0),
    sections,
  };
}

/** `Secretary-General (answer)`; just `Question` when the speaker's name already says what the turn is. */
export function turnLabel(e: TurnEntry): string {
  const kind = e.turn.kind === 'question' || e.turn.kind === 'answer' ? e.turn.kind : null;
  return kind && e.speaker.toLowerCase() !== kind ? `${e.speaker} (${kind})` : e.speaker;
}

/** `3 threads and 1 reply`: the counts line of the title block. */
export function countsLine(outline: SessionOutline): string {
  const { threadCount: t, replyCount: r } = outline;
  return `${t} ${t === 1 ? 'thread' : 'threads'} and ${r} ${r === 1 ? 'reply' : 'replies'}`;
}

/** A timestamp as exports print it: `2018-06-21 10:05 UTC` (the same for every reader, wherever they are). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** Where a thread's passage was said: `Secretary-General, answer`. */
export function whereSaid(ix: TranscriptIndex, turnId: string): { where: string; kind: string } {
  const turn = ix.turns.get(turnId);
  return { where: turn ? `${ix.speakerName(turn)}, ${turn.kind}` : 'turn', kind: turn?.kind ?? 'turn' };
}

/** How a comment is introduced: `commented`, `replied`, `highlighted`, with `(resolved)` on a resolved thread. */
export function commentAction(c: Comment, isReply: boolean): string {
  const label = c.motivation === 'highlighting' ? 'highlighted' : isReply ? 'replied' : 'commented';
  return label + (!isReply && c.status === 'resolved' ? ' (resolved)' : '');
}

/** `Secretary-General, Exchange 2` (or the speaker alone): who said a quoted passage, and when. */
export function quoteAttribution(q: QuoteBlock): string {
  return [q.speaker, q.exchange !== null ? `Exchange ${q.exchange}` : null].filter(Boolean).join(', ');
}

/** The link to a turn inside the session page, or null without a session URL. */
export function turnLink(sessionUrl: string | undefined, turnId: string): string | null {
  return sessionUrl ? `${sessionUrl}#turn-${encodeURIComponent(turnId)}` : null;
}

/** A CSS colour when the author's colour is a plain hex value; anything else could break out of a style. */
export function safeColor(color: string): string | null {
  return /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : null;
}
