import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { makePassage } from '../../../../lib/anchor/passage';
import { readBrief, writeBriefBlocks, type BriefBlock } from '../../../../lib/doc/brief';
import {
  addComment,
  addReply,
  listComments,
  listVerdicts,
  setResolved,
  setVerdict,
  type Author,
} from '../../../../lib/doc/commentary';
import type { SessionExportInput } from '../../../../lib/export/markdown';
import { parseTranscript } from '../../../../lib/transcript/parse';
import type { Transcript } from '../../../../lib/transcript/types';

/**
 * A review session on the sample transcript, seeded through the accessors into
 * real Y.Docs: two analysts (one with an accented name), comments with curly
 * quotes, an em dash and a script tag, replies, a highlight, tags, a resolved
 * thread, verdicts, and a brief with every kind of block.
 */

export const SAMPLE = path.resolve(__dirname, '../../../../samples/un-sg-lavrov-moscow-2018-06-21.txt');

export const ANA: Author = { id: 'u-ana', name: 'Ana Ruiz', color: '#1f77b4' };
export const JOSE: Author = { id: 'u-jose', name: 'José Álvarez', color: '#c0392b' };

export const JOSE_BODY = 'He calls it “reform” — but only of the Secretariat. <script>alert(1)</script>';
export const ANA_BODY = 'A defence of the Council without criticising the US.';
export const REPLY_BODY = 'Agreed — and he avoids the substance of the question.';
export const FORMULA_BODY = '=HYPERLINK("http://evil.example","click") the opening is boilerplate';
export const SESSION_URL = 'https://parley.example.org/sessions/s_demo';

const T0 = Date.UTC(2018, 5, 21, 10, 0, 0);

export function sampleTranscript(): Transcript {
  return parseTranscript(fs.readFileSync(SAMPLE, 'utf8'));
}

function passage(t: Transcript, turnId: string, words: string) {
  const turn = t.turns.find((x) => x.id === turnId)!;
  const start = turn.text.indexOf(words);
  if (start < 0) throw new Error(`"${words}" is not in ${turnId}`);
  return makePassage(turn.text, start, start + words.length);
}

export interface SeededSession {
  transcript: Transcript;
  doc: Y.Doc;
  briefDoc: Y.Doc;
  ids: { ana: string; jose: string; reply: string; joseReply: string; highlight: string; opening: string; atStart: string };
  brief: BriefBlock[];
  input: SessionExportInput;
}

/** Builds the seeded session and the export input read back out of its docs. */
export function seedSession(): SeededSession {
  const transcript = sampleTranscript();
  const doc = new Y.Doc();
  const ana = addComment(doc, {
    turnId: 't3',
    target: passage(transcript, 't3', 'human rights architecture is a key tool'),
    body: ANA_BODY,
    tags: ['human rights', 'US'],
    author: ANA,
    at: T0,
    id: 'c_ana',
  });
  const jose = addComment(doc, {
    turnId: 't5',
    target: passage(transcript, 't5', 'the reform of the structure of the Secretariat'),
    body: JOSE_BODY,
    tags: ['reform'],
    author: JOSE,
    at: T0 + 60_000,
    id: 'c_jose',
  });
  const reply = addReply(doc, ana, { body: REPLY_BODY, author: JOSE, at: T0 + 120_000, id: 'r_jose' });
  const joseReply = addReply(doc, jose, { body: 'Line one,\nline two, with a "quoted" word.', author: ANA, at: T0 + 180_000, id: 'r_ana' });
  const highlight = addComment(doc, {
    turnId: 't7',
    target: passage(transcript, 't7', 'attribution mechanism'),
    motivation: 'highlighting',
    body: '',
    tags: ['chemical weapons'],
    author: ANA,
    at: T0 + 240_000,
    id: 'h_ana',
  });
  const opening = addComment(doc, { turnId: 't1', body: FORMULA_BODY, author: JOSE, at: T0 + 300_000, id: 'c_open' });
  setResolved(doc, opening, true, ANA.id);
  // A passage at the very start of a turn: its prefix is empty.
  const atStart = addComment(doc, {
    turnId: 't3',
    target: passage(transcript, 't3', 'Well, as I said clearly'),
    body: 'Opens by pointing back to his earlier statement.',
    author: ANA,
    at: T0 + 360_000,
    id: 'c_start',
  });
  setVerdict(doc, { turnId: 't3', userId: ANA.id, userName: ANA.name, value: 'consistent', reason: 'Same line as on the 19th.' });
  setVerdict(doc, { turnId: 't3', userId: JOSE.id, userName: JOSE.name, value: 'evasive' });
  setVerdict(doc, { turnId: 't5', userId: JOSE.id, userName: JOSE.name, value: 'new position' });

  const briefDoc = new Y.Doc();
  const t5 = transcript.turns.find((t) => t.id === 't5')!;
  const quoted = passage(transcript, 't5', 'the reform of the structure of the Secretariat');
  const blocks: BriefBlock[] = [
    { type: 'heading', level: 1, content: [{ text: 'Key findings' }] },
    {
      type: 'paragraph',
      content: [
        { text: 'The Secretary-General was ' },
        { text: 'careful', bold: true },
        { text: ' not to criticise the ' },
        { text: 'United States', italic: true },
        { text: ' directly (see the ' },
        { text: 'UN transcript', href: 'https://www.un.org/sg/en/content/sg/press-encounter/2018-06-21' },
        { text: ').' },
      ],
    },
    {
      type: 'list',
      ordered: false,
      items: [
        [{ type: 'paragraph', content: [{ text: 'Human Rights Council: regret, no criticism' }] }],
        [
          { type: 'paragraph', content: [{ text: 'UN reform: ' }, { text: 'Secretariat only', bold: true, italic: true }] },
          {
            type: 'list',
            ordered: true,
            items: [
              [{ type: 'paragraph', content: [{ text: 'Security Council decisions' }] }],
              [{ type: 'paragraph', content: [{ text: 'Secretariat structure' }] }],
            ],
          },
        ],
      ],
    },
    { type: 'blockquote', blocks: [{ type: 'paragraph', content: [{ text: 'Our role is very simple: It is to serve.' }] }] },
    {
      type: 'quote',
      turnId: 't5',
      start: quoted.start,
      end: quoted.end,
      exact: t5.text.slice(quoted.start, quoted.end),
      speaker: 'Secretary-General',
      exchange: 2,
      commentId: jose,
      sessionId: 's_demo',
    },
    { type: 'heading', level: 2, content: [{ text: 'Next steps' }] },
    {
      type: 'list',
      ordered: true,
      items: [
        [{ type: 'paragraph', content: [{ text: 'Follow up with José Álvarez on “reform”' }] }],
        [{ type: 'paragraph', content: [{ text: 'Check the ' }, { text: 'Pinheiro', code: true }, { text: ' report' }] }],
      ],
    },
    { type: 'rule' },
    { type: 'heading', level: 3, content: [{ text: 'Notes' }] },
    { type: 'paragraph', content: [{ text: 'First line' }, { break: true }, { text: 'second line', strike: true }] },
    { type: 'code', text: 'verdict: evasive\nconfidence: 0.7' },
  ];
  writeBriefBlocks(briefDoc, blocks);

  const input: SessionExportInput = {
    sessionTitle: 'Review: UN reform and Syria',
    transcript,
    comments: listComments(doc),
    verdicts: listVerdicts(doc),
    brief: readBrief(briefDoc),
    sessionUrl: SESSION_URL,
    exportedAt: new Date(Date.UTC(2018, 5, 22, 9, 30)),
  };
  return {
    transcript,
    doc,
    briefDoc,
    ids: { ana, jose, reply, joseReply, highlight, opening, atStart },
    brief: blocks,
    input,
  };
}
