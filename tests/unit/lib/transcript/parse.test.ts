import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDate, parseTranscript, TranscriptParseError } from '../../../../lib/transcript/parse';
import { PARAGRAPH_SEPARATOR, type Transcript } from '../../../../lib/transcript/types';

const SAMPLE = new URL('../../../../samples/un-sg-lavrov-moscow-2018-06-21.txt', import.meta.url);

function fixture(name: string): Transcript {
  const url = new URL(`../../../fixtures/transcripts/${name}`, import.meta.url);
  return parseTranscript(readFileSync(url, 'utf8'), { source: name });
}

function summary(t: Transcript): string[] {
  return t.turns.map((turn) => `${turn.id} ${turn.speaker} ${turn.kind} ${turn.paragraphs.length}`);
}

function parseError(text: string): TranscriptParseError {
  try {
    parseTranscript(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TranscriptParseError);
    return error as TranscriptParseError;
  }
  throw new Error('expected parseTranscript to throw');
}

describe('the sample transcript (UN SG with Lavrov, Moscow, 2018)', () => {
  const t = parseTranscript(readFileSync(SAMPLE, 'utf8'));

  it('reads title, place and date from the header', () => {
    expect(t.title).toBe("Secretary-General's remarks at joint press conference with Russian Foreign Minister, Sergey Lavrov");
    expect(t.place).toBe('Moscow, Russian Federation');
    expect(t.date).toBe('2018-06-21');
  });

  it('finds two speakers with expanded names, roles and turn counts', () => {
    expect(t.speakers).toEqual([
      { label: 'SG', name: 'Secretary-General', role: 'answers', turns: 4 },
      { label: 'Q', name: 'Question', role: 'asks', turns: 3 },
    ]);
  });

  it('classifies the opening statement, three questions and three answers', () => {
    expect(summary(t)).toEqual([
      't1 SG statement 10',
      't2 Q question 0',
      't3 SG answer 1',
      't4 Q question 0',
      't5 SG answer 4',
      't6 Q question 0',
      't7 SG answer 6',
    ]);
  });

  it('numbers turns with stable ids, zero-based indexes and no start times', () => {
    t.turns.forEach((turn, i) => {
      expect(turn.id).toBe(`t${i + 1}`);
      expect(turn.index).toBe(i);
      expect(turn.start).toBeNull();
      expect(turn.text).toBe(turn.paragraphs.join(PARAGRAPH_SEPARATOR));
    });
  });

  it('keeps the questions asked in Russian as note-only turns', () => {
    const questions = t.turns.filter((turn) => turn.kind === 'question');
    expect(questions.map((q) => q.note)).toEqual([
      'In Russian, on the decision by the United States to leave the Human Rights Council',
      'In Russian, on UN reform',
      // The source has a trailing non-breaking space after this note.
      'In Russian, on US/Russia cooperation, and on Syria/Pinheiro report',
    ]);
    for (const q of questions) {
      expect(q.text).toBe('');
      expect(q.paragraphs).toEqual([]);
    }
    expect(t.turns.filter((turn) => turn.speaker === 'SG').every((turn) => turn.note === null)).toBe(true);
  });

  it('treats every line as a paragraph and normalises the non-breaking space', () => {
    const opening = t.turns[0];
    expect(opening.paragraphs[0]).toMatch(/^Ladies and gentlemen of the press/);
    expect(opening.paragraphs[5]).toContain('conclusions of Sochi are fully met. I hope that');
    expect(opening.text).not.toContain('\u00a0');
    expect(opening.paragraphs[9]).toMatch(/Spasibo bolshoe\.$/);
  });

  it('keeps curly apostrophes as written', () => {
    expect(t.turns[6].paragraphs[0]).toContain('I’ll make first the comment');
  });

  it('does not take a sentence with a colon for a speaker label', () => {
    expect(t.speakers.map((s) => s.label)).toEqual(['SG', 'Q']);
    expect(t.turns[0].paragraphs[8]).toMatch(/^Our role is very simple: It is to serve\./);
  });

  it('opens one exchange per question, with topics from the notes', () => {
    expect(t.exchanges).toEqual([
      {
        id: 'x1',
        number: 1,
        question: 't2',
        answers: ['t3'],
        topic: 'the decision by the United States to leave the Human Rights Council',
      },
      { id: 'x2', number: 2, question: 't4', answers: ['t5'], topic: 'UN reform' },
      { id: 'x3', number: 3, question: 't6', answers: ['t7'], topic: 'US/Russia cooperation, and on Syria/Pinheiro report' },
    ]);
  });
});

describe('paragraphs', () => {
  it('joins hard wraps and splits on blank lines when the document uses blank lines between paragraphs', () => {
    const t = fixture('blank-line-paragraphs.txt');
    expect(t.turns[0].paragraphs).toEqual([
      'Good morning, everyone. The Director will open with a short statement and then take your questions.',
    ]);
    expect(t.turns[1].paragraphs).toEqual([
      'Thank you. From Monday the night ferry will run twice an hour, and the last crossing will leave at half past one.',
      'We expect the change to cut waiting times by a third.',
      'That is not a promise, only an estimate.',
    ]);
  });

  it('treats each line as a paragraph when no turn contains a blank line', () => {
    const t = fixture('line-paragraphs.txt');
    expect(t.turns[0].paragraphs).toHaveLength(6);
    expect(t.turns[0].paragraphs[1]).toBe('It took four years to build.');
  });

  it('joins a hard-wrapped file without blank lines into one paragraph per turn', () => {
    const t = fixture('hard-wrapped.txt');
    expect(summary(t)).toEqual(['t1 SPEAKER 1 statement 1', 't2 SPEAKER 2 statement 1']);
    expect(t.turns[1].text).toBe(
      'Then the lines of each turn join into one paragraph, and the reader sees the sentence the way it was spoken, without stray breaks in the middle of it.',
    );
  });

  it('normalises non-breaking spaces, tabs and runs of spaces, and trims trailing spaces', () => {
    const t = parseTranscript('SG:\u00a0Hello,\u00a0\u00a0world.   \nSecond\tline  here.\u00a0\n');
    expect(t.turns[0].paragraphs).toEqual(['Hello, world.', 'Second line here.']);
  });

  it('accepts Windows line endings and a byte-order mark', () => {
    const t = parseTranscript('\ufeffTitle line\r\n\r\nSG: One.\r\nTwo.\r\nQ: Why?\r\n');
    expect(t.title).toBe('Title line');
    expect(summary(t)).toEqual(['t1 SG statement 2', 't2 Q question 1']);
  });
});

describe('notes', () => {
  it('keeps a leading bracketed note apart from the text that follows it', () => {
    const t = fixture('line-paragraphs.txt');
    const turn = t.turns[3];
    expect(turn.note).toBe('Speaking in French');
    expect(turn.text).toBe('Merci à tous.');
  });

  it('makes a turn that is only a bracketed note a note-only turn', () => {
    const t = parseTranscript('Q: [In Russian, on UN reform]\nSG: Reform is under way.');
    expect(t.turns[0]).toMatchObject({ text: '', paragraphs: [], note: 'In Russian, on UN reform', kind: 'question' });
  });

  it('moves parenthesised stage notes out of the speech and joins several with "; "', () => {
    const t = fixture('blank-line-paragraphs.txt');
    expect(t.turns[1].note).toBe('Laughter');
    expect(t.turns[3].note).toBe('Cross-talk; Inaudible');
    expect(t.turns[3].paragraphs).toEqual(['No.', 'The fares stay as they are for the whole winter.']);
  });

  it('combines a leading note with stage notes later in the turn', () => {
    const t = parseTranscript('SG: [In French] Merci.\n(As interpreted.)\nThank you.');
    expect(t.turns[0].note).toBe('In French; As interpreted');
    expect(t.turns[0].paragraphs).toEqual(['Merci.', 'Thank you.']);
  });

  it('leaves brackets and parentheses inside a sentence in the text', () => {
    const t = parseTranscript('SG: We met (twice) and agreed [on most points].');
    expect(t.turns[0].note).toBeNull();
    expect(t.turns[0].text).toBe('We met (twice) and agreed [on most points].');
  });
});

describe('trailers', () => {
  it('keeps `END 12:45 P.M.` and the footer after it out of the turns', () => {
    const t = fixture('blank-line-paragraphs.txt');
    const all = t.turns.map((turn) => turn.text).join('\n');
    expect(all).not.toContain('END');
    expect(all).not.toContain('For information media');
    expect(t.turns).toHaveLength(4);
  });

  it('drops `* * *` and `# # #`', () => {
    expect(fixture('line-paragraphs.txt').turns.at(-1)!.text).toBe('There are two hundred spaces.');
    expect(fixture('markdown-bold.md').turns.at(-1)!.text).toBe('They will run twice an hour.');
  });

  it('drops a plain `END` line', () => {
    const t = parseTranscript('SG: Thank you.\nEND\n');
    expect(t.turns[0].paragraphs).toEqual(['Thank you.']);
  });
});

describe('speaker labels', () => {
  it('reads accented, titled and all-caps names', () => {
    const t = fixture('names.txt');
    expect(t.speakers.map((s) => s.label)).toEqual(['José Álvarez', 'Ms. Jane Doe', 'MR. SMITH', 'THE PRESIDENT']);
    expect(t.speakers.map((s) => s.name)).toEqual(['José Álvarez', 'Ms. Jane Doe', 'MR. SMITH', 'THE PRESIDENT']);
  });

  it('reads Markdown bold labels, inline and alone on their line', () => {
    const t = fixture('markdown-bold.md');
    expect(t.title).toBe('Harbour Voices, episode 12');
    expect(summary(t)).toEqual([
      't1 Ana Lima statement 1',
      't2 José Álvarez statement 1',
      't3 Ana Lima statement 1',
      't4 José Álvarez statement 1',
    ]);
    expect(t.turns[2].text).toBe('Let us start with the night crossings.');
  });

  it('reads labels alone on their line, all caps or ending in a colon, with the text below', () => {
    const t = fixture('alone-labels.txt');
    expect(t.title).toBe('HEARING ON RIVER SAFETY');
    expect(t.speakers.map((s) => `${s.label} ${s.turns}`)).toEqual(['THE CHAIR 1', 'MS. OKAFOR 2', 'Senator Reyes 1']);
    expect(t.turns[1].paragraphs).toEqual(['Thank you, Chair. I am glad to be here.', 'I will keep my remarks short.']);
    expect(t.turns[2].text).toBe('How many inspections were done last year?');
  });

  it('reads `Q` and other all-caps labels followed by a tab or two spaces', () => {
    const t = fixture('tab-labels.txt');
    expect(summary(t)).toEqual(['t1 Q question 1', 't2 MINISTER answer 1', 't3 Q question 1', 't4 MINISTER answer 1']);
    expect(t.turns[1].text).toBe('In the spring, if the weather allows.');
  });

  it('reads timestamps before or after a label as the start in seconds', () => {
    const t = fixture('timestamps.txt');
    expect(t.turns.map((turn) => [turn.speaker, turn.start, turn.text])).toEqual([
      ['Maya Chen', 5, 'Welcome back to the show.'],
      ['Tom Okoro', 12, 'Thanks for having me.'],
      ['Maya Chen', 90, 'So, what changed this winter?'],
      ['Tom Okoro', 101, 'The ferries run later now.'],
    ]);
  });

  it('reads a timestamp right after the colon', () => {
    const t = parseTranscript('Host: [01:02:03] Welcome.\nGuest: Thanks.');
    expect(t.turns[0]).toMatchObject({ speaker: 'Host', start: 3723, text: 'Welcome.' });
    expect(t.turns[1].start).toBeNull();
  });

  it('does not take sentences with a colon for labels', () => {
    const t = fixture('line-paragraphs.txt');
    expect(t.speakers.map((s) => s.label)).toEqual(['THE MAYOR', 'QUESTION']);
    expect(t.turns[0].paragraphs.slice(2)).toEqual([
      'Our role is very simple: It is to serve.',
      'The reason is clear: readers need a quiet place.',
      'Note: the east wing opens next month.',
      'UN Charter: the founding text is on display in the hall.',
    ]);
  });

  it('does not take a clock time in a sentence for a timestamped label', () => {
    const t = parseTranscript('SG: We met twice.\nAt 10:30 we met again.\nQ: Why?');
    expect(t.turns[0].paragraphs).toEqual(['We met twice.', 'At 10:30 we met again.']);
  });

  it('expands SG, Q and QUESTION and keeps other labels in their own case', () => {
    const t = parseTranscript('SG: One.\nQUESTION: Two?\nSG: Three.\nQ: Four?\nMs. Doe: Five.');
    expect(t.speakers.map((s) => s.name)).toEqual(['Secretary-General', 'Question', 'Question', 'Ms. Doe']);
  });

  it('reads `Q. text` and, when questions use it, `A. text`', () => {
    const t = parseTranscript('Q. Why now?\nA. Because.\nQ. And then?\nA. Later.');
    expect(summary(t)).toEqual(['t1 Q. question 1', 't2 A. answer 1', 't3 Q. question 1', 't4 A. answer 1']);
    expect(t.speakers[0].name).toBe('Question');
  });

  it('does not take a lettered list item for an answer label', () => {
    const t = parseTranscript('SG: Two points.\nA. First point.\nB. Second point.');
    expect(t.turns[0].paragraphs).toEqual(['Two points.', 'A. First point.', 'B. Second point.']);
  });

  it('drops a label with nothing after it instead of turning it into text', () => {
    const t = parseTranscript('SG: Hello.\nQ:\n');
    expect(t.turns.map((turn) => turn.text)).toEqual(['Hello.']);
    expect(t.speakers.map((s) => s.label)).toEqual(['SG']);
  });

  it('keeps mid-line colons, brackets and bold markers in long lines as text', () => {
    const long = `${'[('.repeat(5000)} ${'a: '.repeat(5000)} ${'**'.repeat(5000)}`;
    const t = parseTranscript(`SG: ${long}\n${'Word '.repeat(20000)}: end`);
    expect(t.turns).toHaveLength(1);
    expect(t.turns[0].paragraphs).toHaveLength(2);
  });

  it('treats Q., REPORTER and JOURNALIST as askers', () => {
    const t = parseTranscript('MINISTER: Hello.\nQ. Why? \nQ.: Why now?\nREPORTER: And?\nJOURNALIST: Or?\nMINISTER: Because.');
    expect(t.speakers.map((s) => `${s.label} ${s.role}`)).toEqual([
      'MINISTER answers',
      'Q. asks',
      'REPORTER asks',
      'JOURNALIST asks',
    ]);
  });
});

describe('roles, kinds and exchanges', () => {
  const t = fixture('follow-ups.txt');

  it('reads a title that contains a colon as the title, not a speaker', () => {
    expect(t.title).toBe('Press Conference: Harbour Authority Winter Schedule');
    expect(t.place).toBe('Port Avel, Freedonia');
    expect(t.date).toBe('2026-01-15');
  });

  it('gives the moderator remarks, the respondent a statement then answers, the asker questions', () => {
    expect(t.speakers.map((s) => `${s.label} ${s.role} ${s.turns}`)).toEqual([
      'MODERATOR moderates 2',
      'DIRECTOR answers 6',
      'Q asks 5',
    ]);
    expect(t.turns.map((turn) => turn.kind)).toEqual([
      'remark',
      'statement',
      'remark',
      'question',
      'answer',
      'question',
      'answer',
      'question',
      'answer',
      'question',
      'answer',
      'question',
      'answer',
    ]);
  });

  it('keeps explicit follow-ups in the current exchange and opens a new one for a new question', () => {
    expect(t.exchanges.map(({ question, answers }) => ({ question, answers }))).toEqual([
      { question: 't4', answers: ['t5', 't6', 't7', 't8', 't9', 't10', 't11'] },
      { question: 't12', answers: ['t13'] },
    ]);
  });

  it('attributes a bare FOLLOW-UP label to the last asker', () => {
    expect(t.turns[5]).toMatchObject({ speaker: 'Q', text: 'And on weekends?' });
    expect(t.turns[7]).toMatchObject({ speaker: 'Q', text: 'What about the fares?' });
  });

  it('takes the topic from the first sentence, cut on a word boundary', () => {
    expect(t.exchanges[0].topic).toBe('Will the night ferry keep running?');
    expect(t.exchanges[1].topic).toBe('A new question about the harbour dredging work that starts…');
    expect(t.exchanges[1].topic.length).toBeLessThanOrEqual(61);
  });

  it('opens a new exchange for every question that is not marked as a follow-up', () => {
    const plain = parseTranscript('Q: One?\nSG: A.\nQ: Two?\nSG: B.\nSG: C.');
    expect(plain.exchanges.map((x) => [x.question, x.answers])).toEqual([
      ['t1', ['t2']],
      ['t3', ['t4', 't5']],
    ]);
  });

  it('makes a spokesperson who answers the questions a respondent', () => {
    const briefing = parseTranscript('SPOKESPERSON: Good afternoon.\nQUESTION: Any news?\nSPOKESPERSON: None.');
    expect(briefing.speakers.map((s) => s.role)).toEqual(['answers', 'asks']);
    expect(briefing.turns.map((turn) => turn.kind)).toEqual(['statement', 'question', 'answer']);
  });

  it('takes a topic from a note without "on" as the note itself', () => {
    const x = parseTranscript('Q: [Inaudible]\nSG: Yes.').exchanges[0];
    expect(x.topic).toBe('Inaudible');
  });
});

describe('header', () => {
  it('reads a weekday date, and a place followed by a time', () => {
    const t = fixture('blank-line-paragraphs.txt');
    expect(t.title).toBe('Briefing by the Harbour Authority on the Winter Ferry Schedule');
    expect(t.place).toBe('Port Avel, Freedonia');
    expect(t.date).toBe('2026-03-05');
  });

  it('reads a US-style date with a weekday and a place with a particle', () => {
    const t = fixture('names.txt');
    expect(t.date).toBe('2025-06-21');
    expect(t.place).toBe('Ciudad de México, México');
    expect(t.title).toBe('Encuentro con la prensa en la capital');
  });

  it('names a transcript without a header "Untitled transcript"', () => {
    const t = fixture('tab-labels.txt');
    expect(t).toMatchObject({ title: 'Untitled transcript', date: null, place: null });
  });

  it('takes the title from a first line that is not a turn', () => {
    expect(parseTranscript('Notes from the call\nSG: Hello.').title).toBe('Notes from the call');
  });

  it('reads `Key: value` header lines and keeps an unreadable date as written', () => {
    const t = parseTranscript('Title: Budget hearing\nDate: spring 2024\nLocation: Room 4\n\nCHAIR: Order.');
    expect(t).toMatchObject({ title: 'Budget hearing', date: 'spring 2024', place: 'Room 4' });
    expect(t.speakers.map((s) => s.label)).toEqual(['CHAIR']);
  });

  it('reads a title line ending in a colon as the title', () => {
    const t = parseTranscript('Press Conference:\nNew York, 21 June 2018\n\nSG: Hello.\nQ: Why?');
    expect(t).toMatchObject({ title: 'Press Conference', place: 'New York', date: '2018-06-21' });
    expect(t.speakers.map((s) => s.label)).toEqual(['SG', 'Q']);
  });

  it('reads a dateline that gives place and date on one line', () => {
    const t = parseTranscript('Remarks to the press\nNew York, 3 May 2024\n\nSG: Good morning.');
    expect(t).toMatchObject({ title: 'Remarks to the press', place: 'New York', date: '2024-05-03' });
  });

  it('does not take an all-caps header line for a speaker', () => {
    const t = parseTranscript('UNITED NATIONS\nGeneva, Switzerland\n\nSG: Good morning.');
    expect(t.speakers.map((s) => s.label)).toEqual(['SG']);
    expect(t.title).toBe('UNITED NATIONS');
  });
});

describe('parseDate', () => {
  it.each([
    ['21 June 2018', '2018-06-21'],
    ['June 21, 2018', '2018-06-21'],
    ['2018-06-21', '2018-06-21'],
    ['Thursday, 21 June 2018', '2018-06-21'],
    ['Thu 21st Jun. 2018', '2018-06-21'],
    ['21 June 2018, 10:30 a.m.', '2018-06-21'],
  ])('reads %s', (input, iso) => {
    expect(parseDate(input)).toBe(iso);
  });

  it.each(['31 February 2018', 'Moscow, Russian Federation', 'June 2018', '21/06/2018', ''])('rejects %j', (input) => {
    expect(parseDate(input)).toBeNull();
  });
});

describe('errors', () => {
  it('rejects an empty or whitespace-only file', () => {
    expect(parseError('').message).toBe('The file is empty');
    expect(parseError(' \n\t\n\u00a0 ').message).toBe('The file is empty');
  });

  it('rejects binary input', () => {
    expect(parseError('SG: hello\u0000world').message).toMatch(/binary/);
    const noise = Array.from({ length: 400 }, (_, i) => String.fromCharCode(i % 3 === 0 ? 0xfffd : (i % 31) + 1)).join('');
    expect(parseError(noise).message).toMatch(/binary/);
  });

  it('rejects text without speaker labels, saying what it expected', () => {
    expect(parseError('Just a paragraph.\nAnd another: with a colon.').message).toBe(
      'No speaker labels found: expected lines such as `NAME: text`',
    );
  });

  it('rejects labels that are all followed by nothing', () => {
    expect(parseError('SG:\nQ:\n').message).toMatch(/^No turn found/);
  });

  it('prefixes the source to the message and keeps the bare reason', () => {
    try {
      parseTranscript('', { source: 'notes.txt' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TranscriptParseError);
      expect((error as TranscriptParseError).message).toBe('notes.txt: The file is empty');
      expect((error as TranscriptParseError).reason).toBe('The file is empty');
      expect((error as TranscriptParseError).source).toBe('notes.txt');
    }
  });
});

describe('scale', () => {
  it('parses a 100,000-word transcript', () => {
    const sentence = 'We will keep working with every partner on this question in the months ahead. ';
    const words = sentence.trim().split(' ').length;
    const turns: string[] = ['A long hearing', 'Geneva, Switzerland', '1 March 2024', ''];
    let count = 0;
    for (let i = 0; count < 100_000; i++) {
      const body = sentence.repeat(4).trim();
      turns.push(i % 2 === 0 ? `Q: ${body}` : `SG: ${body}\n${body}`);
      count += i % 2 === 0 ? words * 4 : words * 8;
    }
    const t = parseTranscript(turns.join('\n'));
    const expectedTurns = turns.length - 4;
    expect(t.turns).toHaveLength(expectedTurns);
    expect(t.exchanges).toHaveLength(Math.ceil(expectedTurns / 2));
    expect(t.turns.at(-1)!.id).toBe(`t${expectedTurns}`);
  });
});
