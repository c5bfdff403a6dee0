/**
 * Corrections an analyst makes in the import preview, as pure functions: each
 * takes a transcript and returns a new, valid one (turn ids renumbered `t1`…,
 * speakers counted, kinds and exchanges paired again by the parser's own rules
 * in `structure.ts`). The input is never changed, so the preview can undo by
 * keeping the previous value.
 */
import { assembleTranscript, draftsOf, type TurnDraft } from './structure';
import type { SpeakerRole, Transcript } from './types';

/** An edit that cannot apply (an unknown speaker or turn, a split at the edge); the message says why. */
export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

/** Longest speaker name the preview accepts; the server allows a little more. */
export const MAX_SPEAKER_NAME = 100;

function speakerOf(t: Transcript, label: string) {
  const s = t.speakers.find((sp) => sp.label === label);
  if (!s) throw new EditError(`There is no speaker "${label}".`);
  return s;
}

function turnIndexOf(t: Transcript, turnId: string): number {
  const i = t.turns.findIndex((turn) => turn.id === turnId);
  if (i < 0) throw new EditError(`There is no turn "${turnId}".`);
  return i;
}

/** Assembles again with the analyst's roles and names kept for every speaker still present. */
function rebuild(t: Transcript, drafts: TurnDraft[], roles: Map<string, SpeakerRole>, names: Map<string, string>): Transcript {
  return assembleTranscript({ title: t.title, date: t.date, place: t.place }, drafts, { roles, names });
}

function rolesOf(t: Transcript): Map<string, SpeakerRole> {
  return new Map(t.speakers.map((s) => [s.label, s.role]));
}

function namesOf(t: Transcript): Map<string, string> {
  return new Map(t.speakers.map((s) => [s.label, s.name]));
}

function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a name must not hold
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!clean) throw new EditError('A speaker needs a name.');
  if (clean.length > MAX_SPEAKER_NAME) throw new EditError(`A speaker name can be at most ${MAX_SPEAKER_NAME} characters.`);
  return clean;
}

/**
 * Renames a speaker everywhere: label and name both become `name`, since the
 * label is what the transcript shows. Renaming to another speaker's label
 * merges the two (the other speaker's role is kept).
 */
export function renameSpeaker(t: Transcript, label: string, name: string): Transcript {
  const speaker = speakerOf(t, label);
  const clean = cleanName(name);
  if (clean === label && speaker.name === clean) return t;
  if (clean !== label && t.speakers.some((s) => s.label === clean)) return mergeSpeakers(t, label, clean);
  const roles = rolesOf(t);
  const names = namesOf(t);
  roles.set(clean, speaker.role);
  names.set(clean, clean);
  const drafts = draftsOf(t).map((d) => (d.speaker === label ? { ...d, speaker: clean } : d));
  return rebuild(t, drafts, roles, names);
}

/** Gives every turn of `from` to `into` and drops `from`; `into` keeps its name and role. */
export function mergeSpeakers(t: Transcript, from: string, into: string): Transcript {
  speakerOf(t, from);
  speakerOf(t, into);
  if (from === into) throw new EditError('Choose two different speakers to merge.');
  const drafts = draftsOf(t).map((d) => (d.speaker === from ? { ...d, speaker: into } : d));
  return rebuild(t, drafts, rolesOf(t), namesOf(t));
}

/** Sets what a speaker does (asks, answers, moderates); kinds and exchanges follow. */
export function setSpeakerRole(t: Transcript, label: string, role: SpeakerRole): Transcript {
  speakerOf(t, label);
  if (!['asks', 'answers', 'moderates'].includes(role)) throw new EditError(`Unknown role "${String(role)}".`);
  const roles = rolesOf(t);
  roles.set(label, role);
  return rebuild(t, draftsOf(t), roles, namesOf(t));
}

/** Joins a turn to the one above it: its paragraphs follow the earlier turn's, whose speaker and start are kept. */
export function mergeTurnIntoPrevious(t: Transcript, turnId: string): Transcript {
  const i = turnIndexOf(t, turnId);
  if (i === 0) throw new EditError('The first turn has no turn above it to join.');
  const drafts = draftsOf(t);
  const above = drafts[i - 1];
  const turn = drafts[i];
  const notes = [above.note, turn.note].filter((n): n is string => !!n);
  drafts.splice(i - 1, 2, {
    ...above,
    paragraphs: [...above.paragraphs, ...turn.paragraphs],
    note: notes.length ? notes.join('; ') : null,
  });
  return rebuild(t, drafts, rolesOf(t), namesOf(t));
}

/**
 * Splits a turn before paragraph `paragraphIndex` (1 … paragraphs − 1): the
 * paragraphs from there on become a new turn by the same speaker, which can
 * then be given to another speaker. The note stays with the first part.
 */
export function splitTurn(t: Transcript, turnId: string, paragraphIndex: number): Transcript {
  const i = turnIndexOf(t, turnId);
  const turn = t.turns[i];
  if (!Number.isInteger(paragraphIndex) || paragraphIndex < 1 || paragraphIndex >= turn.paragraphs.length) {
    throw new EditError(`A turn splits between two of its paragraphs: choose a paragraph from 2 to ${turn.paragraphs.length}.`);
  }
  const drafts = draftsOf(t);
  const d = drafts[i];
  drafts.splice(
    i,
    1,
    { ...d, paragraphs: d.paragraphs.slice(0, paragraphIndex) },
    { speaker: d.speaker, paragraphs: d.paragraphs.slice(paragraphIndex), note: null, start: null, followUp: false },
  );
  return rebuild(t, drafts, rolesOf(t), namesOf(t));
}

/** The next free `Speaker N` label, for a speaker the source did not name. */
export function newSpeakerLabel(t: Transcript): string {
  const taken = new Set(t.speakers.map((s) => s.label));
  for (let n = 2; ; n++) if (!taken.has(`Speaker ${n}`)) return `Speaker ${n}`;
}

/**
 * Gives one turn to another speaker, a new one if `label` is not yet a speaker
 * (it then answers, until its role is changed). For sources that do not name
 * their speakers, such as subtitles: split, then give each part its speaker.
 */
export function assignTurn(t: Transcript, turnId: string, label: string): Transcript {
  const i = turnIndexOf(t, turnId);
  const clean = cleanName(label);
  if (t.turns[i].speaker === clean) return t;
  const roles = rolesOf(t);
  const names = namesOf(t);
  if (!roles.has(clean)) {
    roles.set(clean, 'answers');
    names.set(clean, clean);
  }
  const drafts = draftsOf(t);
  drafts[i] = { ...drafts[i], speaker: clean };
  return rebuild(t, drafts, roles, names);
}

/** Sets the title; the preview keeps it to one line. */
export function setTitle(t: Transcript, title: string): Transcript {
  const clean = title.replace(/\s+/g, ' ').trim();
  return { ...t, title: clean };
}
