/**
 * The project's own transcript model. A transcript is parsed once, stored, and
 * never changed afterwards: turn ids and text offsets are the anchors that every
 * annotation points into.
 */

/** What a turn does in the conversation. */
export type TurnKind = 'statement' | 'question' | 'answer' | 'remark';

/** What a speaker does over the whole transcript. */
export type SpeakerRole = 'asks' | 'answers' | 'moderates';

export interface Speaker {
  /** The label exactly as written in the source, e.g. `SG` or `MR. SMITH`. */
  label: string;
  /** A readable name: the label expanded where it is a known abbreviation. */
  name: string;
  role: SpeakerRole;
  /** Number of turns this speaker has. */
  turns: number;
}

export interface Turn {
  /** Stable id, unique within the transcript (`t1`, `t2`, …). */
  id: string;
  /** Zero-based position in `turns`. */
  index: number;
  /** The speaker label as written. */
  speaker: string;
  kind: TurnKind;
  /** The spoken text: paragraphs joined by a blank line (`\n\n`). Empty when the turn is a note only. */
  text: string;
  /** The same text split into paragraphs; offsets into `text` follow `PARAGRAPH_SEPARATOR`. */
  paragraphs: string[];
  /** An editorial note kept apart from the speech, e.g. `In Russian, on UN reform`; null when there is none. */
  note: string | null;
  /** Start time in seconds from the start of the recording, when the source gives one. */
  start: number | null;
}

export interface Exchange {
  /** Stable id (`x1`, `x2`, …). */
  id: string;
  /** One-based number as shown to analysts. */
  number: number;
  /** Turn id of the question that opens the exchange. */
  question: string;
  /** Turn ids of the answers, follow-up questions and moderator's remarks that belong to it, in order: every turn up to the next exchange. */
  answers: string[];
  /** A short topic taken from the question's note or its first words. */
  topic: string;
}

export interface Transcript {
  title: string;
  /** ISO date (`2018-06-21`) when the header gives one a machine can read, else the text as written, else null. */
  date: string | null;
  place: string | null;
  speakers: Speaker[];
  turns: Turn[];
  exchanges: Exchange[];
}

/** Separator between the paragraphs of a turn inside `Turn.text`. */
export const PARAGRAPH_SEPARATOR = '\n\n';
