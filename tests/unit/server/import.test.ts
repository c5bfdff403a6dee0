import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCX_MIME } from '../../../lib/transcript/detect';
import { mergeTurnIntoPrevious, setSpeakerRole } from '../../../lib/transcript/edit';
import { parseTranscript } from '../../../lib/transcript/parse';
import type { Transcript } from '../../../lib/transcript/types';
import { InvalidTranscriptError, validateTranscript } from '../../../server/api/import';
import { isApiError } from '../../../server/api/errors';
import { parseDocx } from '../../../server/import/docx';
import { removeTempDir, startServer, type TestServer } from '../../integration/helpers';

/**
 * The import API's handlers against a real server (port 0, no Next.js) with a
 * real SQLite store in a temp dir: previews parse and store nothing, imports
 * validate everything and store only what is valid.
 */

const TEXT = `Briefing on the ferries
Port Avel, Freedonia
5 March 2026

DIRECTOR: Good morning. The ferries run later from Monday.
Q: Will the fares change?
DIRECTOR: No. They stay the same all winter.`;

/** A small Word document made the way Word makes one: a bold label, then the text, one paragraph each. */
async function makeDocx(lines: Array<[string, string] | string>): Promise<Uint8Array> {
  const doc = new Document({
    sections: [
      {
        children: lines.map((line) =>
          typeof line === 'string'
            ? new Paragraph({ children: [new TextRun(line)] })
            : new Paragraph({ children: [new TextRun({ text: `${line[0]}:`, bold: true }), new TextRun(` ${line[1]}`)] }),
        ),
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

function stream(bytes: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + chunk));
      at += chunk;
    },
  });
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function apiError(work: Promise<unknown>): Promise<{ status: number; code: string; message: string; problems?: string[] }> {
  try {
    await work;
  } catch (err) {
    if (!isApiError(err)) throw err;
    return { status: err.status, code: err.code, message: err.message, problems: (err as InvalidTranscriptError).problems };
  }
  throw new Error('expected an ApiError');
}

describe('import API', () => {
  let server: TestServer;
  const maxImportBytes = 64 * 1024;

  beforeAll(async () => {
    server = await startServer({ env: { PARLEY_MAX_IMPORT_BYTES: String(maxImportBytes) } });
  });
  afterAll(async () => {
    await server.close();
    removeTempDir(server.dataDir);
  });

  const api = () => server.services.api;
  const count = async () => (await server.services.store.listTranscripts()).length;
  const preview = (bytes: Uint8Array, contentType: string | null, name: string | null, contentLength?: string) =>
    api().previewTranscript({ body: stream(bytes), contentType, contentLength: contentLength ?? String(bytes.length), name });

  it('reads PARLEY_MAX_IMPORT_BYTES into the config, 10 MiB by default', async () => {
    expect(server.services.config.maxImportBytes).toBe(maxImportBytes);
    const { loadConfig } = await import('../../../server/config');
    expect(loadConfig({ NODE_ENV: 'test' }).maxImportBytes).toBe(10 * 1024 * 1024);
    expect(() => loadConfig({ NODE_ENV: 'test', PARLEY_MAX_IMPORT_BYTES: 'lots' })).toThrow(/PARLEY_MAX_IMPORT_BYTES must be a whole number of bytes/);
  });

  describe('POST /api/transcripts', () => {
    it('stores a previewed, edited transcript and answers with its id and summary', async () => {
      const before = await count();
      const t = setSpeakerRole(parseTranscript(TEXT), 'DIRECTOR', 'answers');
      const created = await api().createTranscript({ transcript: clone(t), source: 'C:\\Users\\ana\\ferries.txt' });
      expect(created).toMatchObject({
        title: 'Briefing on the ferries',
        date: '2026-03-05',
        place: 'Port Avel, Freedonia',
        source: 'ferries.txt',
        turns: 3,
        exchanges: 1,
        speakers: ['DIRECTOR', 'Question'],
      });
      expect(created.id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(await count()).toBe(before + 1);
      const stored = await server.services.store.getTranscript(created.id);
      expect(stored!.transcript).toEqual(t);
    });

    it('starts a session on the imported transcript', async () => {
      const created = await api().createTranscript({ transcript: clone(parseTranscript(TEXT)), source: 'pasted' });
      const session = await api().createSession({ transcriptId: created.id });
      expect(session.transcriptId).toBe(created.id);
    });

    it('stores only the known fields', async () => {
      const t = clone(parseTranscript(TEXT)) as Transcript & { extra?: string };
      t.extra = 'ignored';
      (t.turns[0] as unknown as Record<string, unknown>).html = '<script>';
      const created = await api().createTranscript({ transcript: t, source: 'pasted' });
      const stored = (await server.services.store.getTranscript(created.id))!.transcript;
      expect(stored).not.toHaveProperty('extra');
      expect(stored.turns[0]).not.toHaveProperty('html');
    });

    it('refuses a body without source or transcript, storing nothing', async () => {
      const before = await count();
      expect((await apiError(api().createTranscript({ transcript: parseTranscript(TEXT) }))).message).toMatch(/^"source" is required/);
      expect((await apiError(api().createTranscript({ source: 'pasted' }))).message).toMatch(/^"transcript" is required/);
      expect(await count()).toBe(before);
    });

    it('lists every problem of an invalid transcript in one 400, storing nothing', async () => {
      const before = await count();
      const t = clone(parseTranscript(TEXT));
      t.turns[1].id = 't1';
      t.turns[2].text = 'Changed without its paragraphs.';
      t.exchanges[0].answers = ['t99'];
      t.speakers[0].turns = 7;
      const e = await apiError(api().createTranscript({ transcript: t, source: 'pasted' }));
      expect(e.status).toBe(400);
      expect(e.code).toBe('invalid_transcript');
      expect(e.problems).toEqual([
        'turns[1].id: "t1" is used by turns[0] too',
        'turns[2].text: must be its paragraphs joined by a blank line',
        'speakers: "DIRECTOR" is said to have 7 turns but has 2',
        // Renaming t2 to t1 leaves the exchange's question pointing at nothing.
        'exchanges[0].question: must be the id of a turn',
        'exchanges[0].answers[0]: must be the id of a turn',
      ]);
      expect(e.message).toMatch(/^The transcript is not valid \(5 problems\): turns\[1\]\.id/);
      expect(await count()).toBe(before);
    });
  });

  describe('validateTranscript', () => {
    const valid = parseTranscript(TEXT);
    const problemsOf = (mutate: (t: Record<string, unknown> & Transcript) => void, maxChars = 1_000_000): string[] => {
      const t = clone(valid) as Record<string, unknown> & Transcript;
      mutate(t);
      try {
        validateTranscript(t, maxChars);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidTranscriptError);
        return (err as InvalidTranscriptError).problems;
      }
      return [];
    };

    it('accepts what the parser and the edits produce', () => {
      expect(problemsOf(() => undefined)).toEqual([]);
      expect(() => validateTranscript(clone(mergeTurnIntoPrevious(valid, 't3')), 1_000_000)).not.toThrow();
    });

    it('checks the shape', () => {
      expect(() => validateTranscript(null, 100)).toThrow(/must be an object/);
      expect(() => validateTranscript([], 100)).toThrow(/must be an object/);
      expect(problemsOf((t) => void (t.title = ''))).toEqual(['title: must not be empty']);
      expect(problemsOf((t) => void (t.title = 'a\nb'))).toEqual(['title: must be one line without control characters']);
      expect(problemsOf((t) => void (t.date = 5 as unknown as string))).toEqual(['date: must be a string']);
      expect(problemsOf((t) => void (t.turns = 'x' as unknown as []))).toContain('turns: must be a non-empty array');
      expect(problemsOf((t) => void (t.speakers = []))).toContain('speakers: must be a non-empty array');
      expect(problemsOf((t) => void (t.exchanges = {} as unknown as []))).toEqual(['exchanges: must be an array']);
    });

    it('checks lengths and text sizes', () => {
      expect(problemsOf((t) => void (t.title = 'x'.repeat(301)))).toEqual(['title: is 301 characters long; at most 300']);
      expect(problemsOf((t) => void (t.turns[0].note = 'n'.repeat(2001)))).toEqual(['turns[0].note: is 2001 characters long; at most 2000']);
      expect(problemsOf(() => undefined, 20)).toEqual(['turns: hold 104 characters of text; at most 20']);
      expect(problemsOf((t) => void (t.speakers[0].label = 'L'.repeat(121)))[0]).toBe('speakers[0].label: is 121 characters long; at most 120');
    });

    it('checks turns: ids, positions, speakers, kinds, paragraphs, starts', () => {
      expect(problemsOf((t) => void (t.turns[0].id = 'a b'))).toEqual(['turns[0].id: must be a string of letters, digits, "_" or "-" (at most 32)']);
      expect(problemsOf((t) => void (t.turns[1].index = 5))).toEqual(['turns[1].index: must be 1, its position in turns']);
      expect(problemsOf((t) => void (t.turns[0].speaker = 'NOBODY'))).toEqual([
        'turns[0].speaker: must be the label of one of the speakers',
        'speakers: "DIRECTOR" is said to have 2 turns but has 1',
      ]);
      expect(problemsOf((t) => void (t.turns[0].kind = 'question'))).toEqual(['turns[0].kind: cannot be "question": its speaker does not ask']);
      expect(problemsOf((t) => void (t.turns[0].kind = 'speech' as 'answer'))).toEqual(['turns[0].kind: must be one of statement, question, answer, remark']);
      expect(problemsOf((t) => void (t.turns[0].paragraphs = ['']))).toEqual(['turns[0].paragraphs[0]: must be non-empty text without blank lines or control characters']);
      expect(problemsOf((t) => void (t.turns[0].start = -1))).toEqual(['turns[0].start: must be null or a number of seconds from 0']);
      expect(
        problemsOf((t) => {
          t.turns[0].paragraphs = [];
          t.turns[0].text = '';
        }),
      ).toEqual(['turns[0]: has neither text nor a note']);
    });

    it('checks speakers: labels unique, roles known', () => {
      expect(problemsOf((t) => void (t.speakers[1].label = 'DIRECTOR'))).toContain('speakers[1].label: "DIRECTOR" is listed twice');
      expect(problemsOf((t) => void (t.speakers[0].role = 'leads' as 'asks'))).toEqual(['speakers[0].role: must be one of asks, answers, moderates']);
    });

    it('checks exchanges: references, order, numbering, one exchange per turn', () => {
      expect(problemsOf((t) => void (t.exchanges[0].question = 't1'))).toEqual(['exchanges[0].question: turn "t1" is not a question']);
      expect(problemsOf((t) => void (t.exchanges[0].number = 2))).toEqual(['exchanges[0].number: must be 1']);
      expect(problemsOf((t) => void (t.exchanges[0].answers = ['t3', 't3']))).toEqual([
        'exchanges[0].answers[1]: turn "t3" must come after the one before it',
        'exchanges[0]: turn "t3" already belongs to exchanges[0]',
      ]);
      expect(problemsOf((t) => void (t.exchanges[0].answers = ['t1']))).toEqual(['exchanges[0].answers[0]: turn "t1" must come after the one before it']);
      expect(problemsOf((t) => void t.exchanges.push({ ...t.exchanges[0], id: 'x2', number: 2 }))).toEqual([
        'exchanges[1]: turn "t2" already belongs to exchanges[0]',
        'exchanges[1]: turn "t3" already belongs to exchanges[0]',
      ]);
    });

    it('stops at twenty problems', () => {
      const t = clone(valid);
      const many = Array.from({ length: 50 }, (_, i) => ({ ...t.turns[0], id: 'same', index: i }));
      try {
        validateTranscript({ ...t, turns: many }, 1_000_000);
        expect.unreachable();
      } catch (err) {
        expect((err as InvalidTranscriptError).problems).toHaveLength(20);
        expect((err as Error).message).toMatch(/^The transcript is not valid \(at least 20 problems\)/);
      }
    });
  });

  describe('POST /api/transcripts/preview', () => {
    it('parses a Word document with bold labels and stores nothing', async () => {
      const before = await count();
      const bytes = await makeDocx([
        'Briefing on the ferries',
        'Port Avel, Freedonia',
        '5 March 2026',
        ['DIRECTOR', 'Good morning. The ferries run later from Monday.'],
        ['Q', 'Will the fares change?'],
        ['DIRECTOR', 'No.'],
        '(Laughter.)',
        'They stay the same all winter.',
      ]);
      const { transcript } = await preview(bytes, DOCX_MIME, 'ferries.docx');
      expect(transcript).toMatchObject({ title: 'Briefing on the ferries', date: '2026-03-05', place: 'Port Avel, Freedonia' });
      expect(transcript.turns.map((t) => [t.speaker, t.kind, t.paragraphs, t.note])).toEqual([
        ['DIRECTOR', 'statement', ['Good morning. The ferries run later from Monday.'], null],
        ['Q', 'question', ['Will the fares change?'], null],
        ['DIRECTOR', 'answer', ['No.', 'They stay the same all winter.'], 'Laughter'],
      ]);
      expect(await count()).toBe(before);
    });

    it('reads a .docx sent as application/octet-stream with its name', async () => {
      const bytes = await makeDocx([['SG', 'Hello.']]);
      const { transcript } = await preview(bytes, 'application/octet-stream', 'notes.docx');
      expect(transcript.title).toBe('notes');
      expect(transcript.turns[0].text).toBe('Hello.');
    });

    it('parses text formats too, by name or by content type', async () => {
      const vtt = new TextEncoder().encode('WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Hello.\n');
      expect((await preview(vtt, 'text/vtt', null)).transcript.turns[0]).toMatchObject({ speaker: 'Ana', start: 1 });
      const txt = new TextEncoder().encode(TEXT);
      expect((await preview(txt, 'text/plain; charset=utf-8', 'ferries.txt')).transcript.turns).toHaveLength(3);
    });

    it('answers 413 for a file over the limit, by its declared length or while reading it', async () => {
      const big = new Uint8Array(maxImportBytes + 1).fill(0x61);
      const declared = await apiError(preview(big, DOCX_MIME, 'big.docx'));
      expect(declared).toMatchObject({ status: 413, code: 'too_large' });
      expect(declared.message).toBe('The file is over the 64 KB limit: split it, or ask your administrator to raise PARLEY_MAX_IMPORT_BYTES.');
      // A client that does not say (or lies about) the length is cut off once it goes over.
      let pulled = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
        },
      });
      const streamed = await apiError(api().previewTranscript({ body: endless, contentType: 'text/plain', contentLength: '10', name: 'x.txt' }));
      expect(streamed.status).toBe(413);
      expect(pulled).toBeLessThan(10);
    });

    it('answers 415 for an unknown type, a non-Word .docx, a PDF and an unknown extension', async () => {
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
      expect(await apiError(preview(png, 'image/png', 'x.png'))).toMatchObject({ status: 415, message: 'Cannot read a "image/png" file: send a .docx, .txt, .md, .vtt or .srt file.' });
      const fake = await apiError(preview(new TextEncoder().encode('SG: Hello.'), DOCX_MIME, 'fake.docx'));
      expect(fake).toMatchObject({ status: 415, message: 'fake.docx: The file is not a Word document (.docx): save it from Word as .docx, or paste its text' });
      expect((await apiError(preview(new TextEncoder().encode('%PDF-1.4'), 'application/octet-stream', 'report.pdf'))).status).toBe(415);
      expect((await apiError(preview(new TextEncoder().encode('SG: hi'), 'application/octet-stream', 'notes.rtf'))).message).toMatch(/RTF files cannot be read/);
      expect((await apiError(preview(new TextEncoder().encode('SG: hi'), 'application/octet-stream', null))).message).toMatch(/Cannot tell what kind of file/);
    });

    it('answers 400 for an empty file, a binary file and a text without speakers', async () => {
      expect(await apiError(preview(new Uint8Array(), 'text/plain', 'empty.txt'))).toMatchObject({ status: 400, message: 'empty.txt: The file is empty' });
      const bin = new Uint8Array([0x41, 0, 0x42, 0]);
      expect((await apiError(preview(bin, 'text/plain', 'bin.txt'))).message).toMatch(/looks binary/);
      const prose = await apiError(preview(new TextEncoder().encode('Just prose.\nNo speakers.'), 'text/markdown', 'prose.md'));
      expect(prose).toMatchObject({ status: 400, code: 'unreadable', message: 'prose.md: No speaker labels found: expected lines such as `NAME: text`' });
      const blankDocx = await makeDocx(['   ']);
      expect((await apiError(preview(blankDocx, DOCX_MIME, 'blank.docx'))).message).toBe('blank.docx: The Word document has no text');
    });
  });

  describe('parseDocx', () => {
    it('refuses a zip that is not a Word document', async () => {
      const JSZip = (await import('jszip')).default;
      const zip = new JSZip();
      zip.file('hello.txt', 'SG: Hello.');
      const bytes = await zip.generateAsync({ type: 'uint8array' });
      await expect(parseDocx(bytes, 'hello.docx', 1_000_000)).rejects.toThrow('hello.docx: The file is not a Word document (.docx)');
    });

    it('refuses a document that unpacks to far more than the limit', async () => {
      const JSZip = (await import('jszip')).default;
      const zip = new JSZip();
      zip.file('word/document.xml', '<w:document/>');
      zip.file('word/media/padding.bin', new Uint8Array(3 * 1024 * 1024), { compression: 'DEFLATE' });
      const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
      expect(bytes.length).toBeLessThan(100 * 1024);
      await expect(parseDocx(bytes, 'bomb.docx', 100 * 1024)).rejects.toThrow(/unpacks to 3 MB, more than a transcript can be/);
    });
  });
});
