import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type ILevelsOptions,
  type ParagraphChild,
} from 'docx';
import type { Comment, Thread } from '../doc/commentary';
import type { BriefBlock, Inline } from '../doc/brief';
import { safeHref } from '../doc/brief';
import type { SessionExportInput } from './markdown';
import {
  commentAction,
  countsLine,
  formatTime,
  indexTranscript,
  quoteAttribution,
  sessionOutline,
  turnLabel,
  turnLink,
  whereSaid,
  type TranscriptIndex,
  type TurnEntry,
} from './outline';

const BULLETS = 'parley-bullets';
const NUMBERS = 'parley-numbers';
/** Twips (1/20 pt) of indent per list level and per quote. */
const STEP = 360;
const MUTED = '5F6368';
const SERIF = 'Georgia';
const SANS = 'Calibri';
const MONO = 'Consolas';

type TextRunInline = Extract<Inline, { text: string }>;
type Ctx = { sessionUrl?: string; nextListInstance: () => number };

/** Text with newlines as Word line breaks: a `\n` inside w:t shows as nothing at all. */
function textRuns(text: string, style: ConstructorParameters<typeof TextRun>[0] & object): TextRun[] {
  return text.split('\n').map((line, i) => new TextRun({ ...style, text: line, break: i > 0 ? 1 : undefined }));
}

function runsOf(content: readonly Inline[], base: { italics?: boolean; color?: string } = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const run of content) {
    if ('break' in run) {
      out.push(new TextRun({ break: 1 }));
      continue;
    }
    const r = run as TextRunInline;
    const style = {
      bold: r.bold || undefined,
      italics: r.italic || base.italics || undefined,
      strike: r.strike || undefined,
      font: r.code ? MONO : undefined,
      color: base.color,
    };
    const href = safeHref(r.href);
    if (href) out.push(new ExternalHyperlink({ link: href, children: textRuns(r.text, { ...style, style: 'Hyperlink' }) }));
    else out.push(...textRuns(r.text, style));
  }
  return out;
}

function blockParagraphs(b: BriefBlock, ctx: Ctx, depth: { list: number; quote: number }): Paragraph[] {
  const indent = (depth.list + depth.quote) * STEP;
  switch (b.type) {
    case 'heading':
      return [
        new Paragraph({
          heading: b.level === 1 ? HeadingLevel.HEADING_1 : b.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3,
          children: runsOf(b.content),
        }),
      ];
    case 'paragraph':
      return [
        new Paragraph({
          style: depth.quote ? 'Quote' : undefined,
          indent: indent ? { left: indent } : undefined,
          children: runsOf(b.content),
        }),
      ];
    case 'list': {
      // A new instance per list restarts its numbering at 1 instead of counting on from the last list.
      const instance = ctx.nextListInstance();
      const level = Math.min(depth.list, 8);
      return b.items.flatMap((item) => {
        const [first, ...rest] = item;
        const head =
          first && first.type === 'paragraph'
            ? new Paragraph({
                numbering: { reference: b.ordered ? NUMBERS : BULLETS, level, instance },
                children: runsOf(first.content),
              })
            : new Paragraph({ numbering: { reference: b.ordered ? NUMBERS : BULLETS, level, instance }, children: [] });
        const body = first && first.type === 'paragraph' ? rest : item;
        return [head, ...body.flatMap((child) => blockParagraphs(child, ctx, { ...depth, list: depth.list + 1 }))];
      });
    }
    case 'blockquote':
      return b.blocks.flatMap((child) => blockParagraphs(child, ctx, { ...depth, quote: depth.quote + 1 }));
    case 'code':
      return [
        new Paragraph({
          style: 'Code',
          indent: indent ? { left: indent } : undefined,
          children: textRuns(b.text, {}),
        }),
      ];
    case 'rule':
      return [
        new Paragraph({
          border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: 'BFBFBF', space: 1 } },
          children: [],
        }),
      ];
    case 'quote':
      return passageParagraphs(b.exact, quoteAttribution(b), turnLink(ctx.sessionUrl, b.turnId), indent);
  }
}

/** A quoted passage in the Quote style, with who said it (and a link back) on the line below. */
function passageParagraphs(exact: string, who: string, link: string | null, indent: number): Paragraph[] {
  const attribution: ParagraphChild[] = [];
  if (who) attribution.push(new TextRun({ text: `— ${who}`, italics: false, color: MUTED, size: 18 }));
  if (link) {
    attribution.push(new TextRun({ text: ' ', size: 18 }));
    attribution.push(new ExternalHyperlink({ link, children: [new TextRun({ text: 'open in session ↗', style: 'Hyperlink', size: 18 })] }));
  }
  return [
    new Paragraph({
      style: 'PassageQuote',
      indent: indent ? { left: indent + STEP * 2 } : undefined,
      keepNext: true,
      children: textRuns(`“${exact}”`, {}),
    }),
    new Paragraph({ style: 'PassageAttribution', indent: indent ? { left: indent + STEP * 2 } : undefined, children: attribution }),
  ];
}

function commentParagraphs(c: Comment, isReply: boolean): Paragraph[] {
  const left = isReply ? STEP * 3 : STEP * 1.5;
  const head: ParagraphChild[] = [
    new TextRun({ text: c.author.name || 'Anonymous', bold: true }),
    new TextRun({ text: ` ${commentAction(c, isReply)}, ${formatTime(c.createdAt)}`, color: MUTED }),
  ];
  if (c.tags.length) {
    head.push(new TextRun({ text: ' — tags: ', color: MUTED }));
    c.tags.forEach((t, i) => {
      if (i) head.push(new TextRun({ text: ', ', color: MUTED }));
      head.push(new TextRun({ text: t, font: MONO, size: 18 }));
    });
  }
  const out = [new Paragraph({ indent: { left }, spacing: { before: 80, after: 0 }, keepNext: !!c.body, children: head })];
  if (c.body) out.push(new Paragraph({ indent: { left }, spacing: { after: 80 }, children: textRuns(c.body, {}) }));
  return out;
}

function threadParagraphs(t: Thread, ix: TranscriptIndex): Paragraph[] {
  const { where, kind } = whereSaid(ix, t.root.turnId);
  const out: Paragraph[] = t.root.target
    ? passageParagraphs(t.root.target.exact, where, null, STEP)
    : [new Paragraph({ indent: { left: STEP * 1.5 }, keepNext: true, children: [new TextRun({ text: `On the whole ${kind} (${where}):`, italics: true, color: MUTED })] })];
  out.push(...commentParagraphs(t.root, false));
  for (const r of t.replies) out.push(...commentParagraphs(r, true));
  return out;
}

function turnParagraphs(e: TurnEntry, ix: TranscriptIndex): Paragraph[] {
  const { turn } = e;
  const label = `${turnLabel(e)}: `;
  const children: ParagraphChild[] = [new TextRun({ text: label, bold: true })];
  const note = turn.note ? new TextRun({ text: `[${turn.note}] `, italics: true, color: MUTED }) : null;
  if (turn.kind === 'question' && note) children.push(note);
  if (e.gist) children.push(new TextRun({ text: e.gist }));
  if (turn.kind !== 'question' && note) children.push(new TextRun({ text: ` [${turn.note}]`, italics: true, color: MUTED }));
  const out = [new Paragraph({ spacing: { before: 200 }, children })];
  if (e.verdicts.length) {
    out.push(
      new Paragraph({
        children: [new TextRun({ text: `Verdicts: ${e.verdicts.map(([v, n]) => `${v} ${n}`).join(' · ')}`, color: MUTED, size: 18 })],
      }),
    );
  }
  for (const t of e.threads) out.push(...threadParagraphs(t, ix));
  return out;
}

function listLevels(ordered: boolean): ILevelsOptions[] {
  const bullets = ['•', '◦', '▪'];
  const formats = [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN];
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: ordered ? formats[level % 3] : LevelFormat.BULLET,
    text: ordered ? `%${level + 1}.` : bullets[level % 3],
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: STEP * (level + 1) + 360, hanging: 360 } } },
  }));
}

/**
 * The session as a Word document: title block, the brief with real Heading 1–3
 * styles, numbered and bulleted lists, quotes in the Quote style and passage
 * quotes with who said them, then the appendix of comments. Page numbers in
 * the footer.
 */
export async function sessionToDocx(input: SessionExportInput): Promise<Uint8Array> {
  const outline = sessionOutline(input);
  const ix = indexTranscript(input.transcript);
  let instance = 0;
  const ctx: Ctx = { sessionUrl: input.sessionUrl, nextListInstance: () => ++instance };

  const titleBlock: Paragraph[] = [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(outline.title)] })];
  if (outline.transcriptTitle) {
    titleBlock.push(new Paragraph({ children: [new TextRun({ text: outline.transcriptTitle, italics: true })] }));
  }
  const meta = [outline.place, outline.date].filter(Boolean).join(' · ');
  if (meta) titleBlock.push(new Paragraph({ children: [new TextRun({ text: meta, color: MUTED })] }));
  const counts = `${countsLine(outline)}${input.exportedAt ? `, exported ${formatTime(input.exportedAt.getTime())}` : ''}.`;
  const countsChildren: ParagraphChild[] = [new TextRun({ text: counts, color: MUTED })];
  if (input.sessionUrl) {
    countsChildren.push(new TextRun({ text: ' ', color: MUTED }));
    countsChildren.push(new ExternalHyperlink({ link: input.sessionUrl, children: [new TextRun({ text: 'Open the session', style: 'Hyperlink' })] }));
  }
  titleBlock.push(
    new Paragraph({
      border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: '1D1D1F', space: 6 } },
      spacing: { after: 240 },
      children: countsChildren,
    }),
  );

  const brief = (input.brief ?? []).flatMap((b) => blockParagraphs(b, ctx, { list: 0, quote: 0 }));
  const appendix: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: brief.length > 0, children: [new TextRun('Appendix: comments')] }),
  ];
  for (const s of outline.sections) {
    appendix.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(s.heading)] }));
    for (const e of s.turns) appendix.push(...turnParagraphs(e, ix));
  }

  const doc = new Document({
    creator: 'Parley',
    title: outline.title,
    description: `Brief and comments of the review session “${outline.title}”`,
    styles: {
      default: {
        document: { run: { font: SERIF, size: 22 }, paragraph: { spacing: { after: 120, line: 276 } } },
        title: { run: { font: SANS, size: 48, bold: true, color: '1D1D1F' }, paragraph: { spacing: { after: 120 } } },
        heading1: { run: { font: SANS, size: 32, bold: true, color: '1D1D1F' }, paragraph: { spacing: { before: 360, after: 120 }, keepNext: true } },
        heading2: { run: { font: SANS, size: 26, bold: true, color: '1D1D1F' }, paragraph: { spacing: { before: 280, after: 100 }, keepNext: true } },
        heading3: { run: { font: SANS, size: 23, bold: true, color: '3C4043' }, paragraph: { spacing: { before: 200, after: 80 }, keepNext: true } },
        hyperlink: { run: { color: '1F5FBF', underline: {} } },
      },
      paragraphStyles: [
        {
          id: 'Quote',
          name: 'Quote',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { italics: true, color: '404040' },
          paragraph: {
            indent: { left: STEP * 2, right: STEP },
            border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'BFBFBF', space: 8 } },
          },
        },
        {
          id: 'PassageQuote',
          name: 'Passage Quote',
          basedOn: 'Quote',
          next: 'PassageAttribution',
          quickFormat: true,
          run: { italics: true, color: '1D1D1F' },
          paragraph: {
            spacing: { before: 160, after: 0 },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: '1F5FBF', space: 8 } },
          },
        },
        {
          id: 'PassageAttribution',
          name: 'Passage Attribution',
          basedOn: 'Normal',
          next: 'Normal',
          run: { font: SANS, size: 18, color: MUTED },
          paragraph: { indent: { left: STEP * 2 }, spacing: { after: 160 } },
        },
        {
          id: 'Code',
          name: 'Code',
          basedOn: 'Normal',
          next: 'Normal',
          run: { font: MONO, size: 19 },
          paragraph: { shading: { type: 'clear', fill: 'F5F5F7', color: 'auto' }, spacing: { after: 120, line: 240 } },
        },
      ],
    },
    numbering: {
      config: [
        { reference: BULLETS, levels: listLevels(false) },
        { reference: NUMBERS, levels: listLevels(true) },
      ],
    },
    sections: [
      {
        properties: { page: { margin: { top: 1134, bottom: 1134, left: 1247, right: 1247 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ text: `${outline.title} — `, size: 16, color: MUTED }),
                  new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES], size: 16, color: MUTED }),
                ],
              }),
            ],
          }),
        },
        children: [...titleBlock, ...brief, ...appendix],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}
