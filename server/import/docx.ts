/**
 * Word (.docx) transcripts, read on the server with mammoth: the document's
 * paragraphs become lines of text, which the plain-text parser then reads like
 * any other transcript. The zip's table of contents is checked first, so that a
 * small file that unpacks to gigabytes is refused before it is unpacked.
 */
import mammoth from 'mammoth';
import { checkSize, formatBytes, ImportError, looksLikeZip, titleFromFileName } from '../../lib/transcript/detect';
import { parseTranscript } from '../../lib/transcript/parse';
import type { Transcript } from '../../lib/transcript/types';

/** How much larger than the upload limit a .docx may unpack to: Word's XML is verbose, but not this verbose. */
const UNPACK_FACTOR = 20;

interface ZipEntry {
  name: string;
  size: number;
}

/** The entries of a zip's central directory, or null when the bytes are not a readable zip. */
function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  if (bytes.length < 22) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  // The end record sits in the last 22 bytes plus a comment of up to 64 KiB.
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const names = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return null;
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    entries.push({ name: names.decode(bytes.subarray(p + 46, p + 46 + nameLength)), size });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The text of a .docx, one paragraph per line with blank lines between; throws ImportError when it is not one. */
export async function docxToText(bytes: Uint8Array, maxBytes: number, source?: string): Promise<string> {
  const notWord = 'The file is not a Word document (.docx): save it from Word as .docx, or paste its text';
  if (!looksLikeZip(bytes)) throw new ImportError(notWord, source, 415);
  const entries = zipEntries(bytes);
  if (!entries || !entries.some((e) => e.name === 'word/document.xml')) throw new ImportError(notWord, source, 415);
  const unpacked = entries.reduce((sum, e) => sum + e.size, 0);
  // 0xFFFFFFFF marks a ZIP64 size: far beyond anything a transcript needs.
  if (unpacked > maxBytes * UNPACK_FACTOR || entries.some((e) => e.size === 0xffffffff)) {
    throw new ImportError(`The Word document unpacks to ${formatBytes(unpacked)}, more than a transcript can be: remove images or split it`, source, 413);
  }
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return result.value;
  } catch (err) {
    throw new ImportError(`The Word document cannot be read (${(err as Error).message}): open it in Word, save it again as .docx and retry`, source);
  }
}

/** Size checks, text extraction and parsing of a .docx transcript. */
export async function parseDocx(bytes: Uint8Array, fileName: string, maxBytes: number): Promise<Transcript> {
  checkSize(bytes.length, maxBytes, fileName);
  const text = await docxToText(bytes, maxBytes, fileName);
  if (text.trim() === '') throw new ImportError('The Word document has no text', fileName);
  return parseTranscript(text, { source: fileName, fallbackTitle: titleFromFileName(fileName) });
}
