import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionToDocx } from '../../../../lib/export/docx';
import { sessionToPdf } from '../../../../lib/export/pdf';
import { ANA_BODY, REPLY_BODY, seedSession } from './session-fixture';

/** Where the files go for a look by eye (PARLEY_EXPORT_DIR), else a temp dir. */
const OUT = process.env.PARLEY_EXPORT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-export-'));

function decodeXml(xml: string): string {
  return xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('DOCX export', () => {
  const { input } = seedSession();
  let zip: JSZip;
  let documentXml: string;
  let bytes: Uint8Array;

  beforeAll(async () => {
    bytes = await sessionToDocx(input);
    fs.writeFileSync(path.join(OUT, 'session.docx'), bytes);
    zip = await JSZip.loadAsync(bytes);
    documentXml = await zip.file('word/document.xml')!.async('string');
  });

  it('is a Word package with the document, styles and numbering parts', () => {
    expect(bytes[0]).toBe(0x50); // "PK": a zip
    for (const part of ['word/document.xml', 'word/styles.xml', 'word/numbering.xml', '[Content_Types].xml']) {
      expect(zip.file(part), part).not.toBeNull();
    }
  });

  it('holds the brief and every comment, reply and quote as text', () => {
    const text = decodeXml(documentXml);
    for (const s of [
      'Key findings',
      'careful',
      'Secretariat only',
      'Our role is very simple: It is to serve.',
      '“the reform of the structure of the Secretariat”',
      '— Secretary-General, Exchange 2',
      'Appendix: comments',
      ANA_BODY,
      REPLY_BODY,
      'He calls it “reform” — but only of the Secretariat. <script>alert(1)</script>',
      'José Álvarez',
      'human rights architecture is a key tool',
      'attribution mechanism',
    ]) {
      expect(text, s).toContain(s);
    }
  });

  it('uses real heading, quote and list styles', async () => {
    for (const style of ['Title', 'Heading1', 'Heading2', 'Heading3', 'Quote', 'PassageQuote']) {
      expect(documentXml, style).toContain(`<w:pStyle w:val="${style}"/>`);
    }
    const styles = await zip.file('word/styles.xml')!.async('string');
    expect(styles).toMatch(/w:styleId="Heading1"[\s\S]*?<w:name w:val="heading 1"\/>/i);
    expect(styles).toMatch(/w:styleId="Quote"[\s\S]*?<w:name w:val="Quote"\/>/);
    // List items point at numbering definitions: bullets and decimals.
    expect(documentXml).toMatch(/<w:numPr><w:ilvl w:val="0"\/><w:numId w:val="\d+"\/><\/w:numPr>/);
    expect(documentXml).toMatch(/<w:numPr><w:ilvl w:val="1"\/><w:numId w:val="\d+"\/><\/w:numPr>/);
    const numbering = await zip.file('word/numbering.xml')!.async('string');
    expect(numbering).toContain('<w:numFmt w:val="bullet"/>');
    expect(numbering).toContain('<w:numFmt w:val="decimal"/>');
    expect(documentXml).toContain('<w:hyperlink');
  });

  it('reads back through an independent reader (mammoth) with headings, lists and links intact', async () => {
    const { value: html } = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes) },
      { styleMap: ["p[style-name='Quote'] => blockquote > p:fresh", "p[style-name='Passage Quote'] => blockquote.passage > p:fresh"] },
    );
    expect(html).toContain('<h1>Key findings</h1>');
    expect(html).toContain('<h2>Next steps</h2>');
    expect(html).toContain('<h3>Notes</h3>');
    expect(html).toMatch(/<ul><li>Human Rights Council: regret, no criticism<\/li>/);
    expect(html).toMatch(/<ol><li>Security Council decisions<\/li><li>Secretariat structure<\/li><\/ol>/);
    expect(html).toMatch(/<ol><li>Follow up with José Álvarez on “reform”<\/li>/);
    expect(html).toContain('<a href="https://www.un.org/sg/en/content/sg/press-encounter/2018-06-21">UN transcript</a>');
    expect(html).toContain('<strong>careful</strong>');
    expect(html).toContain('<blockquote><p>Our role is very simple: It is to serve.</p></blockquote>');
    expect(html).toContain('<blockquote class="passage"><p>“the reform of the structure of the Secretariat”</p></blockquote>');
    // Line breaks inside a comment and a paragraph survive as breaks, not as run-together words.
    expect(html).toContain('Line one,<br />line two, with a "quoted" word.');
    expect(html).toContain('First line<br /><s>second line</s>');
    expect(html).toContain('He calls it “reform” — but only of the Secretariat. &lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

/** The text of each page, lines joined by newlines, as pdf.js extracts it. */
async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    let text = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      text += item.str + (item.hasEOL ? '\n' : '');
    }
    pages.push(text);
  }
  await pdf.destroy();
  return pages;
}

describe('PDF export', () => {
  const { input } = seedSession();
  let bytes: Uint8Array;
  let pages: string[];
  let all: string;

  beforeAll(async () => {
    bytes = await sessionToPdf(input);
    fs.writeFileSync(path.join(OUT, 'session.pdf'), bytes);
    pages = await pdfText(bytes);
    // Lines wrap wherever the width ends: compare with line breaks as spaces.
    all = pages.join('\n').replace(/\s+/g, ' ');
  });

  it('is a PDF with more than one page and numbers on every page', () => {
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((p, i) => expect(p.replace(/\s+/g, ' ')).toContain(`${i + 1} / ${pages.length}`));
  });

  it('has the title block with place and date on the first page', () => {
    const first = pages[0].replace(/\s+/g, ' ');
    expect(first).toContain('Review: UN reform and Syria');
    expect(first).toContain('Moscow, Russian Federation · 2018-06-21');
    expect(first).toContain('Key findings');
  });

  it('renders curly quotes, dashes and accented names, and every comment', () => {
    for (const s of [
      '“reform”',
      '— but only of the Secretariat.',
      '<script>alert(1)</script>',
      'José Álvarez',
      'Follow up with José Álvarez on “reform”',
      '“the reform of the structure of the Secretariat”',
      '— Secretary-General, Exchange 2',
      'Appendix: comments',
      ANA_BODY,
      REPLY_BODY,
      'human rights architecture is a key tool',
      'attribution mechanism',
      'Exchange 3: US/Russia cooperation',
    ]) {
      expect(all, s).toContain(s);
    }
  });

  it('embeds its fonts', () => {
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSerif/);
    expect(raw).toMatch(/\/FontFile2/);
  });
});
