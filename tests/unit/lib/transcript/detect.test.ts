import { describe, expect, it } from 'vitest';
import {
  checkSize,
  decodeText,
  extensionOf,
  formatBytes,
  formatOfFile,
  ImportError,
  parseTranscriptFile,
  parseTranscriptText,
  sniffFormat,
  titleFromFileName,
} from '../../../../lib/transcript/detect';

const utf8 = (s: string) => new TextEncoder().encode(s);

function importError(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('choosing a reader', () => {
  it('goes by the extension, in any case, and reads a name without one as text', () => {
    expect(['a.txt', 'b.MD', 'c.markdown', 'd.vtt', 'e.Srt', 'f.docx', 'README'].map(formatOfFile)).toEqual([
      'text',
      'markdown',
      'markdown',
      'vtt',
      'srt',
      'docx',
      'text',
    ]);
    expect(extensionOf('dir.v2/notes')).toBe('');
    expect(extensionOf('.hidden')).toBe('');
  });

  it('refuses other extensions with a 415 that says what to do', () => {
    const pdf = importError(() => formatOfFile('report.pdf'));
    expect(pdf.status).toBe(415);
    expect(pdf.message).toBe('report.pdf: PDF files cannot be read: copy the text from the PDF and paste it here, or save it as .txt. Parley reads .txt, .md, .vtt, .srt and .docx files.');
    expect(importError(() => formatOfFile('old.doc')).message).toMatch(/save it as \.docx/);
    expect(importError(() => formatOfFile('data.json')).message).toBe('data.json: ".json" files cannot be read. Parley reads .txt, .md, .vtt, .srt and .docx files.');
  });

  it('recognises a WebVTT or SRT file pasted as text', () => {
    expect(sniffFormat('\uFEFFWEBVTT\n\n00:01.000 --> 00:02.000\nHi')).toBe('vtt');
    expect(sniffFormat('1\n00:00:01,000 --> 00:00:02,000\nHi')).toBe('srt');
    expect(sniffFormat('SG: WEBVTT is a format.')).toBe('text');
    const pasted = parseTranscriptText('WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Hello.\n');
    expect(pasted.turns[0]).toMatchObject({ speaker: 'Ana', start: 1, text: 'Hello.' });
  });

  it('reads a .txt file that is really WebVTT as WebVTT', () => {
    const t = parseTranscriptFile(utf8('WEBVTT\n\n00:01.000 --> 00:02.000\nHost: Hello.\n'), 'captions.txt');
    expect(t.turns[0]).toMatchObject({ speaker: 'Host', start: 1 });
    expect(t.title).toBe('captions');
  });

  it('takes a title from the file name when the file has no header', () => {
    expect(parseTranscriptFile(utf8('SG: Hello.'), 'un-briefing_2026.txt').title).toBe('un-briefing 2026');
    expect(titleFromFileName('C:\\Users\\ana\\notes.final.md')).toBe('notes.final');
  });
});

describe('refusing what cannot be imported', () => {
  it('refuses an empty file', () => {
    const e = importError(() => parseTranscriptFile(new Uint8Array(), 'empty.txt'));
    expect(e.message).toBe('empty.txt: The file is empty');
    expect(e.status).toBe(400);
  });

  it('refuses a whitespace-only file', () => {
    expect(() => parseTranscriptFile(utf8('  \n\n'), 'blank.md')).toThrow('blank.md: The file is empty');
  });

  it('refuses a file over the limit with a 413, before reading it', () => {
    const e = importError(() => parseTranscriptFile(utf8('SG: Hello there, everyone.'), 'big.txt', 10));
    expect(e.status).toBe(413);
    expect(e.message).toBe('big.txt: The file is 26 bytes, over the 10 bytes limit: split it, or ask your administrator to raise PARLEY_MAX_IMPORT_BYTES');
    expect(() => checkSize(11 * 1024 * 1024, 10 * 1024 * 1024)).toThrow('The file is 11 MB, over the 10 MB limit');
  });

  it('refuses binary files: NUL bytes, a PDF, a zip, an old Word document', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(importError(() => parseTranscriptFile(png, 'picture.txt')).message).toBe(
      'picture.txt: The file looks binary (it contains NUL bytes): expected a plain-text transcript',
    );
    expect(importError(() => parseTranscriptFile(utf8('%PDF-1.7\n...'), 'a.txt')).message).toMatch(/This is a PDF file/);
    expect(importError(() => parseTranscriptFile(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2]), 'a.md')).message).toMatch(/zip archive or a Word document/);
    expect(importError(() => parseTranscriptFile(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1]), 'a.txt')).message).toMatch(/Word 97–2003/);
  });

  it('calls an image with an unknown extension binary, not just unknown', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(importError(() => parseTranscriptFile(png, 'picture.png')).message).toMatch(/looks binary/);
    expect(importError(() => parseTranscriptFile(utf8('SG: hi'), 'notes.rtf')).status).toBe(415);
  });

  it('sends Word documents to the server', () => {
    expect(importError(() => parseTranscriptFile(new Uint8Array([0x50, 0x4b, 3, 4]), 'a.docx')).status).toBe(415);
  });
});

describe('decoding', () => {
  it('reads UTF-8, UTF-16 with a byte-order mark, and Windows-1252', () => {
    expect(decodeText(utf8('SG: Ça va.'))).toBe('SG: Ça va.');
    const le = new Uint8Array([0xff, 0xfe, ...Array.from('SG: é').flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeText(le)).toBe('SG: é');
    // 0x93 and 0x94 are curly quotes in Windows-1252 and invalid on their own in UTF-8.
    expect(decodeText(new Uint8Array([0x53, 0x47, 0x3a, 0x20, 0x93, 0x48, 0x69, 0x94]))).toBe('SG: “Hi”');
  });

  it('parses a UTF-16 file', () => {
    const le = new Uint8Array([0xff, 0xfe, ...Array.from('SG: Hello.').flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(parseTranscriptFile(le, 'utf16.txt').turns[0].text).toBe('Hello.');
  });

  it('formats sizes for messages', () => {
    expect([500, 2048, 1.5 * 1024 * 1024, 10 * 1024 * 1024].map(formatBytes)).toEqual(['500 bytes', '2 KB', '1.5 MB', '10 MB']);
  });
});
