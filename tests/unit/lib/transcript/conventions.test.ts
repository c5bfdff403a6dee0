import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../../../lib/transcript/parse';
import type { Transcript } from '../../../../lib/transcript/types';

/** The transcript conventions the import screen relies on, one kind of transcript per fixture (all invented text). */

function fixture(name: string): Transcript {
  const url = new URL(`../../../fixtures/transcripts/${name}`, import.meta.url);
  return parseTranscript(readFileSync(url, 'utf8'), { source: name });
}

const roles = (t: Transcript) => t.speakers.map((s) => `${s.label}: ${s.role} ${s.turns}`);
const kinds = (t: Transcript) => t.turns.map((turn) => `${turn.id} ${turn.speaker} ${turn.kind}`);
const pairs = (t: Transcript) => t.exchanges.map((x) => `${x.question} > ${x.answers.join(' ')}`);

describe('a joint press conference with an interpreter and a moderator', () => {
  const t = fixture('joint-press-conference.txt');

  it('reads title, place and date, and keeps the time of day out of the title', () => {
    expect(t).toMatchObject({
      title: 'Joint press conference by the Secretary of the Harbour League and the Foreign Minister of Ostrava',
      place: 'Port Avel, Freedonia',
      date: '2026-04-14',
    });
  });

  it('finds two respondents, a moderator and two question labels', () => {
    expect(roles(t)).toEqual([
      'MODERATOR: moderates 5',
      'SECRETARY VANCE: answers 4',
      'MINISTER NOVÁK: answers 5',
      'QUESTION: asks 3',
      'Q: asks 2',
    ]);
  });

  it('takes "(as interpreted)" off the label and keeps it as the turn’s note', () => {
    const minister = t.turns.filter((turn) => turn.speaker === 'MINISTER NOVÁK');
    expect(minister.every((turn) => turn.note?.startsWith('As interpreted'))).toBe(true);
    expect(minister[0].paragraphs).toEqual(['Thank you, Madam Secretary. Ostrava welcomes the agreement.', 'We will send our first inspectors next month.']);
  });

  it('moves stage notes between sentences and on their own line out of the speech', () => {
    expect(t.turns[1]).toMatchObject({
      note: 'Applause',
      text: 'Thank you. We have agreed today on a common inspection regime for the northern ports. It will start in June.',
    });
    const answer = t.turns.find((turn) => turn.text.startsWith('About forty'))!;
    expect(answer.note).toBe('Laughter; Cross-talk');
    expect(answer.text).toBe('About forty, and the League pays. I am sure of the number.');
  });

  it('keeps a question asked in another language as a note-only question', () => {
    expect(t.turns[4]).toMatchObject({ speaker: 'QUESTION', kind: 'question', text: '', note: 'In Ostravan, on the cost of the inspections' });
    expect(t.exchanges[0].topic).toBe('the cost of the inspections');
  });

  it('pairs each question with every respondent’s answer, and keeps the moderator’s hand-overs in order', () => {
    expect(pairs(t)).toEqual(['t5 > t6 t7 t8', 't9 > t10 t11 t12 t13 t14', 't15 > t16 t17 t18 t19']);
    expect(t.turns.filter((turn) => turn.speaker === 'MODERATOR').every((turn) => turn.kind === 'remark')).toBe(true);
  });

  it('keeps a question interrupted by the answer, and its continuation, in one exchange', () => {
    expect(kinds(t).slice(8, 11)).toEqual(['t9 QUESTION question', 't10 SECRETARY VANCE answer', 't11 QUESTION question']);
    expect(t.exchanges[1].answers).toContain('t11');
  });

  it('gives a bare "Follow-up:" to the last asker, in the open exchange', () => {
    expect(t.turns[16]).toMatchObject({ speaker: 'Q', kind: 'question', text: 'and at night?' });
    expect(t.exchanges[2].answers).toContain('t17');
  });

  it('drops the "(END AT 11:48 A.M.)" trailer', () => {
    expect(t.turns.at(-1)!.text).toBe('Thank you all.');
  });
});

describe('a government briefing', () => {
  const t = fixture('government-briefing.txt');

  it('keeps the header lines and the time out of the turns', () => {
    expect(t.date).toBe('2026-03-03');
    expect(t.place).toBe('Valmont, Freedonia');
    expect(t.turns[0].speaker).toBe('SPOKESPERSON');
  });

  it('makes a spokesperson who answers alone the respondent', () => {
    expect(roles(t)).toEqual(['SPOKESPERSON: answers 5', 'QUESTION: asks 3', 'Q: asks 1']);
    expect(t.turns[0].kind).toBe('statement');
  });

  it('reads `Q` followed by spaces as a question label', () => {
    expect(t.turns[3]).toMatchObject({ speaker: 'Q', kind: 'question', text: 'And will it open on weekends?' });
  });

  it('drops a closing time on the last line', () => {
    expect(t.turns.at(-1)!.text).toBe('Thank you.');
    expect(t.turns.map((turn) => turn.text).join(' ')).not.toContain('12:47');
  });

  it('keeps "(Inaudible.)" on its own line as a note', () => {
    expect(t.turns[6].note).toBe('Inaudible');
  });
});

describe('parliamentary questions', () => {
  const t = fixture('parliamentary-questions.txt');

  it('reads names with constituency and party qualifiers as labels', () => {
    expect(t.speakers.map((s) => s.label)).toEqual([
      'Mr Speaker',
      'Ms Alba Reyes (Northfield) (Lab)',
      'The Prime Minister',
      'Mr Tom Hale (Eastmarch) (Con)',
    ]);
  });

  it('makes the Speaker moderate, the members who end their turns with questions ask, and the Prime Minister answer', () => {
    expect(t.speakers.map((s) => s.role)).toEqual(['moderates', 'asks', 'answers', 'asks']);
    expect(pairs(t)).toEqual(['t2 > t3', 't4 > t5', 't6 > t7 t8']);
  });

  it('reads a title that contains a colon as the title', () => {
    expect(t.title).toBe('Oral Answers to Questions: Prime Minister');
    expect(t.date).toBe('2026-03-11');
  });
});

describe('a hearing', () => {
  const t = fixture('hearing.txt');

  it('prefers the `Title:`, `Date:` and `Location:` lines and skips `Time:`', () => {
    expect(t).toMatchObject({ title: 'Hearing on harbour safety in the northern ports', date: '2026-02-10', place: 'Room 204, Parliament Building' });
  });

  it('reads labels alone on their line with the text below', () => {
    expect(t.turns[1]).toMatchObject({ speaker: 'MS. OKAFOR', paragraphs: ['Thank you, Chair.', 'I am glad to report that accidents fell by a fifth last year.'] });
  });

  it('makes the chair moderate, senators ask and the witness answer', () => {
    expect(roles(t)).toEqual(['THE CHAIR: moderates 2', 'MS. OKAFOR: answers 3', 'SENATOR REYES: asks 2']);
    expect(t.turns[1].kind).toBe('statement');
    expect(pairs(t)).toEqual(['t3 > t4', 't5 > t6 t7']);
  });

  it('drops the bracketed "Whereupon … adjourned" trailer', () => {
    expect(t.turns.at(-1)!.text).toBe('Thank you. The record stays open for two weeks.');
    expect(t.turns.every((turn) => !turn.note?.includes('Whereupon'))).toBe(true);
  });
});

describe('an interview in Markdown with front matter', () => {
  const t = fixture('interview.md');

  it('reads title, date and place from the YAML front matter', () => {
    expect(t).toMatchObject({ title: 'Harbour Voices, episode 14: the night inspectors', date: '2026-05-02', place: 'Port Avel, Freedonia' });
  });

  it('reads bold labels with timestamps after them, and names with accents', () => {
    expect(t.turns.map((turn) => [turn.speaker, turn.start])).toEqual([
      ['Ana Lima', 4],
      ['Tomás Ibáñez', 11],
      ['Ana Lima', 15],
      ['Tomás Ibáñez', 19],
      ['Ana Lima', 62],
      ['Tomás Ibáñez', 66],
    ]);
  });

  it('keeps Markdown headings in the body out of the speech', () => {
    expect(t.turns[1].text).toBe('Thank you for having me, Ana.');
  });

  it('reads an emphasised stage note as a note', () => {
    expect(t.turns[3]).toMatchObject({ note: 'laughs', paragraphs: ['We board at two in the morning, when the harbour is quiet.', 'It is calmer than it sounds.'] });
  });

  it('makes the host who asks the questions the asker, without a Q label', () => {
    expect(roles(t)).toEqual(['Ana Lima: asks 3', 'Tomás Ibáñez: answers 3']);
    expect(t.exchanges).toHaveLength(3);
  });
});

describe('a podcast transcript with timestamps after the names and hard-wrapped lines', () => {
  const t = fixture('podcast.txt');

  it('reads `Name 00:00:05` labels and their start times', () => {
    expect(t.turns.map((turn) => `${turn.speaker} ${turn.start}`)).toEqual([
      'Maya Chen 5',
      'Tom Okoro 14',
      'Maya Chen 22',
      'Tom Okoro 27',
      'Maya Chen 70',
      'Tom Okoro 74',
    ]);
  });

  it('joins hard-wrapped lines into one paragraph', () => {
    expect(t.turns[1].paragraphs).toEqual([
      'Thanks, Maya. It’s good to be here, and I have a lot to tell you about the winter we had on the water this year.',
    ]);
  });

  it('normalises non-breaking spaces and keeps curly quotes as written', () => {
    expect(t.turns[5].text).toBe('Never. We promised “every night” and we kept that promise to the people of the island.');
  });

  it('pairs the host’s questions with the guest’s answers', () => {
    expect(pairs(t)).toEqual(['t1 > t2', 't3 > t4', 't5 > t6']);
  });
});

describe('conventions in short', () => {
  it('reads `QUESTION:`, `MR. SMITH:` and `THE PRESIDENT:` labels', () => {
    const t = parseTranscript('THE PRESIDENT: Good morning.\nQUESTION: Why now?\nMR. SMITH: Because.');
    expect(t.speakers.map((s) => `${s.label} ${s.role}`)).toEqual(['THE PRESIDENT answers', 'QUESTION asks', 'MR. SMITH answers']);
  });

  it('reads a bracketed timestamp on its own line as the start of the turn below', () => {
    const t = parseTranscript('[00:01:05]\nHost: Hello.\n[00:01:09]\nGuest: Hi.');
    expect(t.turns.map((turn) => turn.start)).toEqual([65, 69]);
    expect(t.turns.map((turn) => turn.text)).toEqual(['Hello.', 'Hi.']);
  });

  it('drops a timestamp line inside a turn instead of reading it as speech', () => {
    const t = parseTranscript('Host: Hello.\n[00:01:09]\nStill me.\nGuest: Hi.');
    expect(t.turns[0].paragraphs).toEqual(['Hello.', 'Still me.']);
    expect(t.turns[1].start).toBeNull();
  });

  it('keeps a stage direction inside a sentence as part of the speech', () => {
    const t = parseTranscript('SG: We said [inaudible] and then left.');
    expect(t.turns[0]).toMatchObject({ text: 'We said [inaudible] and then left.', note: null });
  });

  it('takes a stage direction before the full stop out without losing the stop', () => {
    const t = parseTranscript('SG: That was the plan (laughter). Now the rest.');
    expect(t.turns[0]).toMatchObject({ text: 'That was the plan. Now the rest.', note: 'laughter' });
  });

  it('continues the turn above with an unlabelled paragraph', () => {
    const t = parseTranscript('SG: One.\n\nTwo, still the SG.\n\nQ: Three?');
    expect(t.turns[0].paragraphs).toEqual(['One.', 'Two, still the SG.']);
  });

  it('keeps a one-off label used by different people as one speaker', () => {
    const t = parseTranscript('SG: Hello.\nQ: Anna Berg, Reuters. Why?\nSG: Because.\nQ: Li Wei, Xinhua. When?\nSG: Soon.');
    expect(t.speakers.map((s) => `${s.label} ${s.turns}`)).toEqual(['SG 3', 'Q 2']);
    expect(t.exchanges).toHaveLength(2);
  });

  it('treats "Meeting adjourned." at the very end as a trailer, but not in the middle of a turn', () => {
    expect(parseTranscript('CHAIR: Thank you.\nMeeting adjourned.').turns[0].paragraphs).toEqual(['Thank you.']);
    const t = parseTranscript('CHAIR: Thank you.\nMeeting adjourned.\nWITNESS: Wait.');
    expect(t.turns[0].paragraphs).toEqual(['Thank you.', 'Meeting adjourned.']);
  });

  it('joins two questions asked before any answer into one exchange', () => {
    const t = parseTranscript('Q: First part?\nQ: Second part?\nSG: Both answered.');
    expect(pairs(t)).toEqual(['t1 > t2 t3']);
  });

  it('ignores a `---` rule that is not front matter', () => {
    const t = parseTranscript('---\nA briefing\n---\nSG: Hello.');
    expect(t.title).toBe('A briefing');
  });

  it('uses the fallback title when the text has no header', () => {
    expect(parseTranscript('SG: Hello.', { fallbackTitle: 'briefing-notes' }).title).toBe('briefing-notes');
  });
});
