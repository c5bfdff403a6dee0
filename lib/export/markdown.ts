import type { Comment, Thread, Verdict } from '../doc/commentary';
import type { BriefBlock, Inline } from '../doc/brief';
import { safeHref } from '../doc/brief';
import type { Transcript } from '../transcript/types';
import {
  commentAction,
  countsLine,
  formatTime,
  indexTranscript,
  quoteAttribution,
  sessionOutline,
  turnLink,
  whereSaid,
  type TranscriptIndex,
  type TurnEntry,
} from './outline';

/** What an export of a session is made from: the transcript, the commentary and the brief, already read out of Yjs. */
export interface SessionExportInput {
  sessionTitle: string;
  transcript: Transcript;
  comments: readonly Comment[];
  verdicts: readonly Verdict[];
  /** The shared brief (readBrief); empty or absent when nobody wrote one. */
  brief?: readonly BriefBlock[];
  /** Absolute URL of the session page, for links back to passages; optional. */
  sessionUrl?: string;
  exportedAt?: Date;
}

/** Escapes text so Markdown renders it literally (comments are user text, not markup). */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>#|~])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
}

function quoteBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');
}

// ---------------------------------------------------------------------------
// The brief

type Mark = 'bold' | 'italic' | 'strike';
const MARKS: Mark[] = ['bold', 'italic', 'strike'];
const DELIM: Record<Mark, string> = { bold: '**', italic: '*', strike: '~~' };

function codeSpan(text: string): string {
  // The fence must be longer than any run of backticks inside; pad when the text touches a backtick.
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Emphasis as open/close transitions, the way ProseMirror's own Markdown
 * serializer does it: a delimiter must touch a word (`**bold** text`, never
 * `**bold **text`), so white space at the edge of a run moves outside the marks.
 */
function markedRuns(runs: readonly Inline[]): string {
  let out = '';
  let open: Mark[] = [];
  let pendingSpace = '';
  const closeFrom = (i: number) => {
    for (let j = open.length - 1; j >= i; j--) out += DELIM[open[j]];
    open = open.slice(0, i);
  };
  for (const run of runs) {
    if ('break' in run) {
      closeFrom(0);
      out += `${pendingSpace.trimEnd()}\\\n`;
      pendingSpace = '';
      continue;
    }
    const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(run.text) ?? ['', '', run.text, ''];
    if (!core) {
      pendingSpace += run.text;
      continue;
    }
    if (run.code) {
      closeFrom(0);
      out += pendingSpace + lead + codeSpan(core);
      pendingSpace = trail;
      continue;
    }
    const want = MARKS.filter((m) => run[m]);
    let keep = 0;
    while (keep < open.length && want.includes(open[keep])) keep++;
    closeFrom(keep);
    out += pendingSpace + lead;
    for (const m of want) {
      if (!open.includes(m)) {
        open.push(m);
        out += DELIM[m];
      }
    }
    out += escapeMarkdown(core.replace(/\n/g, ' '));
    pendingSpace = trail;
  }
  closeFrom(0);
  return out + pendingSpace;
}

/** Inline content as Markdown: consecutive runs with the same link become one link. */
function mdInlines(content: readonly Inline[]): string {
  let out = '';
  let i = 0;
  while (i < content.length) {
    const hrefOf = (r: Inline) => ('break' in r ? null : safeHref(r.href));
    const href = hrefOf(content[i]);
    let j = i + 1;
    // Runs between link boundaries share one emphasis context, so `**a*b***` is not cut into `**a****b***`.
    while (j < content.length && hrefOf(content[j]) === href) j++;
    const inner = markedRuns(content.slice(i, j));
    out += href ? `[${inner}](<${href}>)` : inner;
    i = j;
  }
  return out;
}

function indent(text: string, by: string, first = by): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? first + l : l ? by + l : l))
    .join('\n');
}

function mdBlocks(blocks: readonly BriefBlock[], sessionUrl: string | undefined): string {
  return blocks
    .map((b) => mdBlock(b, sessionUrl))
    .filter((s) => s !== '')
    .join('\n\n');
}

function mdBlock(b: BriefBlock, sessionUrl: string | undefined): string {
  switch (b.type) {
    case 'heading':
      // The export's title is the only level-1 heading: the brief's headings sit one level below it.
      return `${'#'.repeat(b.level + 1)} ${mdInlines(b.content)}`;
    case 'paragraph':
      return mdInlines(b.content);
    case 'list':
      return b.items
        .map((item, n) => {
          const marker = b.ordered ? `${n + 1}. ` : '- ';
          const body = mdBlocks(item, sessionUrl) || ' ';
          return indent(body, ' '.repeat(marker.length), marker);
        })
        .join('\n');
    case 'blockquote':
      return quoteBlock(mdBlocks(b.blocks, sessionUrl));
    case 'code': {
      const longest = Math.max(2, ...(b.text.match(/`+/g) ?? []).map((s) => s.length));
      const fence = '`'.repeat(longest + 1);
      return `${fence}\n${b.text}\n${fence}`;
    }
    case 'rule':
      return '---';
    case 'quote': {
      const link = turnLink(sessionUrl, b.turnId);
      const who = quoteAttribution(b);
      const text = `“${escapeMarkdown(b.exact)}”${who ? ` — ${escapeMarkdown(who)}` : ''}${link ? ` [↗](<${link}>)` : ''}`;
      return quoteBlock(text.replace(/\n{2,}/g, '\n\n'));
    }
  }
}

/** The brief alone as Markdown (no title block, no appendix): for copying into other documents. */
export function briefToMarkdown(blocks: readonly BriefBlock[], sessionUrl?: string): string {
  return mdBlocks(blocks, sessionUrl);
}

// ---------------------------------------------------------------------------
// The appendix: the per-exchange comment listing

function renderComment(c: Comment, depth: number): string {
  const pad = '  '.repeat(depth);
  const tags = c.tags.length ? ` — tags: ${c.tags.map((t) => `\`${t.replace(/`/g, "'")}\``).join(', ')}` : '';
  const head = `${pad}- **${escapeMarkdown(c.author.name || 'Anonymous')}** ${commentAction(c, depth > 0)}, ${formatTime(c.createdAt)}${tags}`;
  const body = c.body
    ? '\n' +
      c.body
        .split('\n')
        .map((l) => `${pad}  ${escapeMarkdown(l)}`)
        .join('\n')
    : '';
  return head + body;
}

function renderThread(t: Thread, ix: TranscriptIndex): string {
  const { where, kind } = whereSaid(ix, t.root.turnId);
  const parts: string[] = [];
  if (t.root.target) parts.push(quoteBlock(`“${escapeMarkdown(t.root.target.exact)}” — ${escapeMarkdown(where)}`));
  else parts.push(`On the whole ${kind} (${escapeMarkdown(where)}):`);
  parts.push('');
  parts.push(renderComment(t.root, 0));
  for (const r of t.replies) parts.push(renderComment(r, 1));
  return parts.join('\n');
}

function renderTurn(e: TurnEntry, ix: TranscriptIndex): string[] {
  const out: string[] = [];
  const who = escapeMarkdown(e.speaker);
  const { turn } = e;
  if (turn.kind === 'question') {
    const note = turn.note ? `*[${escapeMarkdown(turn.note)}]*` : '';
    out.push(`**${who} (question):** ${[note, escapeMarkdown(e.gist)].filter(Boolean).join(' ')}`);
  } else {
    out.push(
      `**${who}${turn.kind === 'answer' ? ' (answer)' : ''}:** ${escapeMarkdown(e.gist)}${turn.note ? ` *[${escapeMarkdown(turn.note)}]*` : ''}`,
    );
  }
  out.push('');
  if (e.verdicts.length) out.push(`Verdicts: ${e.verdicts.map(([v, n]) => `${escapeMarkdown(v)} ${n}`).join(' · ')}`, '');
  for (const th of e.threads) out.push(renderThread(th, ix), '');
  return out;
}

/**
 * The session as a Markdown document: the title block (title, place and date,
 * counts), the brief, then `## Appendix: comments` with the opening and each
 * exchange: its question (or note), the answer's first sentences, verdicts and
 * every comment and reply with author, quote and tags.
 */
export function sessionToMarkdown(input: SessionExportInput): string {
  const outline = sessionOutline(input);
  const ix = indexTranscript(input.transcript);

  const out: string[] = [];
  out.push(`# ${escapeMarkdown(outline.title)}`);
  out.push('');
  if (outline.transcriptTitle) out.push(`*${escapeMarkdown(outline.transcriptTitle)}*  `);
  const meta = [outline.place, outline.date].filter(Boolean).map((s) => escapeMarkdown(String(s)));
  if (meta.length) out.push(meta.join(' · '));
  out.push('');
  out.push(`${countsLine(outline)}${input.exportedAt ? `, exported ${formatTime(input.exportedAt.getTime())}` : ''}.`);
  if (input.sessionUrl) out.push(`Session: <${input.sessionUrl}>`);

  const brief = input.brief ?? [];
  if (brief.length) out.push('', mdBlocks(brief, input.sessionUrl));

  out.push('', '## Appendix: comments');
  for (const section of outline.sections) {
    out.push('', `### ${escapeMarkdown(section.heading)}`, '');
    for (const e of section.turns) out.push(...renderTurn(e, ix));
  }

  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** A file name made of the session title and the transcript date: `un-reform-review-2018-06-21.md`. */
export function exportFileName(title: string, date: string | null, ext: string): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'parley-session';
  const d = date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `-${date}` : '';
  return `${slug}${d}.${ext}`;
}
