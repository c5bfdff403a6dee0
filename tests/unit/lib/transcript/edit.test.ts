import { describe, expect, it } from 'vitest';
import {
  assignTurn,
  EditError,
  mergeSpeakers,
  mergeTurnIntoPrevious,
  newSpeakerLabel,
  renameSpeaker,
  setSpeakerRole,
  setTitle,
  splitTurn,
} from '../../../../lib/transcript/edit';
import { parseTranscript } from '../../../../lib/transcript/parse';
import { parseSrt } from '../../../../lib/transcript/srt';
import { PARAGRAPH_SEPARATOR, type Transcript } from '../../../../lib/transcript/types';
import { validateTranscript } from '../../../../server/api/import';

const BRIEFING = `Briefing on the ferries
Port Avel, Freedonia
5 March 2026

MODERATOR: Good morning. The Director will take questions.
DIRECTOR: Thank you. The ferries run later from Monday.
Q: Will the fares change?
DIRECTOR: No.
Q (follow-up): Not even at night?
DIRECTOR: Not even at night.
SPEAKER 2: And the weekend timetable, please.
DIRECTOR: Unchanged.`;

const summary = (t: Transcript) => t.turns.map((turn) => `${turn.id} ${turn.speaker} ${turn.kind}`);
const pairs = (t: Transcript) => t.exchanges.map((x) => `${x.question} > ${x.answers.join(' ')}`);

/** Every edit must leave a transcript the server accepts: ids, counts, kinds and exchanges all consistent. */
function expectValid(t: Transcript): void {
  expect(() => validateTranscript(JSON.parse(JSON.stringify(t)), 10_000_000)).not.toThrow();
  t.turns.forEach((turn, i) => {
    expect(turn.id).toBe(`t${i + 1}`);
    expect(turn.index).toBe(i);
    expect(turn.text).toBe(turn.paragraphs.join(PARAGRAPH_SEPARATOR));
  });
  for (const s of t.speakers) expect(s.turns).toBe(t.turns.filter((turn) => turn.speaker === s.label).length);
}

describe('preview edits', () => {
  const t = parseTranscript(BRIEFING);

  it('start from a valid parse', () => {
    expectValid(t);
    expect(t.speakers.map((s) => `${s.label} ${s.role}`)).toEqual(['MODERATOR moderates', 'DIRECTOR answers', 'Q asks', 'SPEAKER 2 answers']);
    expect(pairs(t)).toEqual(['t3 > t4 t5 t6 t7 t8']);
  });

  describe('setSpeakerRole', () => {
    it('makes a speaker ask, and the turns that speaker opens become new exchanges', () => {
      const edited = setSpeakerRole(t, 'SPEAKER 2', 'asks');
      expectValid(edited);
      expect(edited.speakers.find((s) => s.label === 'SPEAKER 2')!.role).toBe('asks');
      expect(summary(edited).slice(6)).toEqual(['t7 SPEAKER 2 question', 't8 DIRECTOR answer']);
      expect(pairs(edited)).toEqual(['t3 > t4 t5 t6', 't7 > t8']);
    });

    it('keeps a follow-up marked in the source in its exchange after other edits', () => {
      const edited = setSpeakerRole(setSpeakerRole(t, 'SPEAKER 2', 'asks'), 'MODERATOR', 'answers');
      expect(pairs(edited)).toEqual(['t3 > t4 t5 t6', 't7 > t8']);
      expect(edited.turns[0].kind).toBe('statement');
    });

    it('makes a moderator’s turns remarks', () => {
      const edited = setSpeakerRole(t, 'DIRECTOR', 'moderates');
      expectValid(edited);
      expect(edited.turns.filter((turn) => turn.speaker === 'DIRECTOR').every((turn) => turn.kind === 'remark')).toBe(true);
    });

    it('does not change the transcript it was given', () => {
      const before = JSON.stringify(t);
      setSpeakerRole(t, 'Q', 'answers');
      expect(JSON.stringify(t)).toBe(before);
    });

    it('refuses an unknown speaker', () => {
      expect(() => setSpeakerRole(t, 'NOBODY', 'asks')).toThrow(EditError);
    });
  });

  describe('renameSpeaker', () => {
    it('renames the label and the name everywhere and keeps the role', () => {
      const edited = renameSpeaker(t, 'Q', 'Reporter');
      expectValid(edited);
      expect(edited.speakers[2]).toEqual({ label: 'Reporter', name: 'Reporter', role: 'asks', turns: 2 });
      expect(edited.turns.filter((turn) => turn.speaker === 'Reporter').map((turn) => turn.id)).toEqual(['t3', 't5']);
      expect(pairs(edited)).toEqual(pairs(t));
    });

    it('trims the new name and refuses an empty or overlong one', () => {
      expect(renameSpeaker(t, 'DIRECTOR', '  Ms.  Ruiz ').speakers[1].label).toBe('Ms. Ruiz');
      expect(() => renameSpeaker(t, 'DIRECTOR', '  ')).toThrow('A speaker needs a name.');
      expect(() => renameSpeaker(t, 'DIRECTOR', 'x'.repeat(101))).toThrow(/at most 100/);
    });

    it('merges into a speaker whose label is taken', () => {
      const edited = renameSpeaker(t, 'SPEAKER 2', 'Q');
      expect(edited.speakers.map((s) => s.label)).toEqual(['MODERATOR', 'DIRECTOR', 'Q']);
      expectValid(edited);
    });
  });

  describe('mergeSpeakers', () => {
    it('gives every turn of one speaker to another and drops the first', () => {
      const edited = mergeSpeakers(t, 'SPEAKER 2', 'Q');
      expectValid(edited);
      expect(edited.speakers.map((s) => `${s.label} ${s.turns}`)).toEqual(['MODERATOR 1', 'DIRECTOR 4', 'Q 3']);
      expect(edited.turns[6]).toMatchObject({ speaker: 'Q', kind: 'question' });
      expect(pairs(edited)).toEqual(['t3 > t4 t5 t6', 't7 > t8']);
    });

    it('refuses to merge a speaker with itself', () => {
      expect(() => mergeSpeakers(t, 'Q', 'Q')).toThrow('Choose two different speakers to merge.');
    });
  });

  describe('mergeTurnIntoPrevious', () => {
    it('appends the turn’s paragraphs to the turn above and renumbers', () => {
      const edited = mergeTurnIntoPrevious(t, 't2');
      expectValid(edited);
      expect(edited.turns).toHaveLength(7);
      expect(edited.turns[0]).toMatchObject({
        id: 't1',
        speaker: 'MODERATOR',
        paragraphs: ['Good morning. The Director will take questions.', 'Thank you. The ferries run later from Monday.'],
      });
      // DIRECTOR now first speaks after Q, so the list (in order of first appearance) changes too.
      expect(edited.speakers.map((s) => `${s.label} ${s.turns}`)).toEqual(['MODERATOR 1', 'Q 2', 'DIRECTOR 3', 'SPEAKER 2 1']);
      expect(pairs(edited)).toEqual(['t2 > t3 t4 t5 t6 t7']);
    });

    it('drops a speaker left without turns', () => {
      const edited = mergeTurnIntoPrevious(t, 't7');
      expect(edited.speakers.map((s) => s.label)).toEqual(['MODERATOR', 'DIRECTOR', 'Q']);
      expectValid(edited);
    });

    it('joins notes and keeps the start of the turn above', () => {
      const timed = parseTranscript('[00:00:05] Host: Hello.\n[00:00:09] Host: [Laughs] Again.');
      const edited = mergeTurnIntoPrevious(timed, 't2');
      expect(edited.turns).toEqual([expect.objectContaining({ start: 5, note: 'Laughs', paragraphs: ['Hello.', 'Again.'] })]);
    });

    it('refuses the first turn and an unknown id', () => {
      expect(() => mergeTurnIntoPrevious(t, 't1')).toThrow('The first turn has no turn above it to join.');
      expect(() => mergeTurnIntoPrevious(t, 't99')).toThrow('There is no turn "t99".');
    });
  });

  describe('splitTurn', () => {
    const long = parseTranscript('SG: One.\n\nTwo.\n\nThree.\n\nQ: Why?');

    it('splits a turn at a paragraph boundary into two turns by the same speaker', () => {
      const edited = splitTurn(long, 't1', 2);
      expectValid(edited);
      expect(edited.turns.map((turn) => [turn.id, turn.speaker, turn.paragraphs])).toEqual([
        ['t1', 'SG', ['One.', 'Two.']],
        ['t2', 'SG', ['Three.']],
        ['t3', 'Q', ['Why?']],
      ]);
      expect(edited.speakers[0].turns).toBe(2);
    });

    it('is undone by merging the new turn back', () => {
      expect(mergeTurnIntoPrevious(splitTurn(long, 't1', 1), 't2')).toEqual(long);
    });

    it('refuses a split at the edges of the turn', () => {
      expect(() => splitTurn(long, 't1', 0)).toThrow(/choose a paragraph from 2 to 3/);
      expect(() => splitTurn(long, 't1', 3)).toThrow(EditError);
      expect(() => splitTurn(long, 't2', 1)).toThrow(EditError);
    });
  });

  describe('assignTurn', () => {
    it('gives one turn to a new speaker, who then can be made to ask', () => {
      const srt = parseSrt('1\n00:00:01,000 --> 00:00:02,000\nHello and welcome.\n\n2\n00:00:05,000 --> 00:00:06,000\nWhen does it open?\n\n3\n00:00:09,000 --> 00:00:10,000\nIn July.\n');
      expect(srt.turns).toHaveLength(1);
      let edited = splitTurn(srt, 't1', 1);
      edited = splitTurn(edited, 't2', 1);
      const label = newSpeakerLabel(edited);
      expect(label).toBe('Speaker 2');
      edited = setSpeakerRole(assignTurn(edited, 't2', label), label, 'asks');
      expectValid(edited);
      expect(summary(edited)).toEqual(['t1 Speaker statement', 't2 Speaker 2 question', 't3 Speaker answer']);
      expect(edited.turns[1].start).toBeNull();
    });

    it('lets a question that only joined the exchange for want of an answer open its own once an answer comes between', () => {
      const host = parseTranscript('Host: Welcome to the show.\n\nThanks for having me.\n\nHost: So, what changed?\nGuest: The ferries run later.');
      expect(pairs(host)).toEqual(['t1 > t2 t3']);
      const edited = assignTurn(splitTurn(host, 't1', 1), 't2', 'Guest');
      expect(pairs(edited)).toEqual(['t1 > t2', 't3 > t4']);
    });

    it('gives a turn to an existing speaker', () => {
      const edited = assignTurn(t, 't7', 'Q');
      expect(edited.speakers.map((s) => s.label)).toEqual(['MODERATOR', 'DIRECTOR', 'Q']);
      expectValid(edited);
    });
  });

  it('setTitle keeps the title to one line', () => {
    expect(setTitle(t, '  A new\n title ').title).toBe('A new title');
  });
});
