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
  safeColor,
  sessionOutline,
  turnLabel,
  turnLink,
  whereSaid,
  type TranscriptIndex,
  type TurnEntry,
} from './outline';

/** Escapes text for HTML element content and quoted attribute values: every user string goes through this. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de; --accent: #1f5fbf; --quote: #f5f5f7; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; background: #fff; color: var(--ink); font: 1rem/1.6 "DejaVu Serif", Georgia, "Times New Roman", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 3rem 1.5rem 4rem; }
h1, h2, h3, h4 { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; line-height: 1.25; margin: 2rem 0 .75rem; }
h1 { font-size: 1.9rem; margin-top: 0; }
h2 { font-size: 1.4rem; }
h3 { font-size: 1.15rem; }
h4 { font-size: 1rem; }
.title-block { border-bottom: 2px solid var(--ink); padding-bottom: 1rem; margin-bottom: 2rem; }
.title-block .subtitle { font-style: italic; margin: 0 0 .25rem; }
.title-block .meta, .title-block .counts { font-family: "DejaVu Sans", Arial, sans-serif; color: var(--muted); font-size: .9rem; margin: 0; }
a { color: var(--accent); }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .88em; }
code { background: var(--quote); padding: 0 .2em; border-radius: 3px; }
pre { background: var(--quote); padding: .75rem 1rem; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
blockquote { margin: 1rem 0; padding: .1rem 0 .1rem 1rem; border-left: 3px solid var(--rule); color: #333; }
figure.passage { margin: 1.25rem 0; padding: .5rem 1rem; border-left: 4px solid var(--accent); background: var(--quote); }
figure.passage blockquote { border: 0; padding: 0; margin: 0; font-style: italic; white-space: pre-wrap; }
figure.passage figcaption { font-family: "DejaVu Sans", Arial, sans-serif; font-size: .85rem; color: var(--muted); margin-top: .35rem; }
figure.passage figcaption a { text-decoration: none; }
p { margin: 0 0 .8rem; }
ul, ol { margin: 0 0 .8rem; padding-left: 1.6rem; }
li > p { margin: .15rem 0; }
li > ul, li > ol { margin-bottom: .2rem; }
blockquote > p:last-child { margin-bottom: 0; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
.appendix { margin-top: 3rem; border-top: 2px solid var(--ink); }
.turn { margin: 0 0 1.5rem; }
.turn .gist { margin: 0 0 .5rem; }
.turn .note { color: var(--muted); font-style: italic; }
.verdicts { font-family: "DejaVu Sans", Arial, sans-serif; font-size: .85rem; color: var(--muted); margin: 0 0 .75rem; }
.thread { margin: 0 0 1rem 1rem; padding-left: .75rem; border-left: 2px solid var(--rule); break-inside: avoid; }
.thread .on { font-style: italic; color: var(--muted); margin: 0 0 .25rem; }
.thread blockquote { margin: 0 0 .4rem; padding: 0; border-left: 0; font-style: italic; }
.comment { margin: 0 0 .6rem; padding-left: .6rem; border-left: 3px solid transparent; }
.comment.reply { margin-left: 1.5rem; }
.comment .head { font-family: "DejaVu Sans", Arial, sans-serif; font-size: .85rem; color: var(--muted); margin: 0; }
.comment .head strong { color: var(--ink); }
.comment .body { margin: .15rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.tag { display: inline-block; font-family: "DejaVu Sans Mono", monospace; font-size: .78rem; border: 1px solid var(--rule); border-radius: 3px; padding: 0 .3em; margin-left: .25em; color: var(--ink); }
.resolved { color: #2e7d32; }
@media print {
  @page { size: A4; margin: 18mm 16mm 20mm; }
  html { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: underline; }
  h1, h2, h3, h4 { break-after: avoid; }
  figure.passage, .thread, .comment, pre, blockquote { break-inside: avoid; }
  .appendix { break-before: page; border-top: 0; }
  .title-block { border-bottom-width: 1px; }
}
`;

type TextRun = Extract<Inline, { text: string }>;

function runHtml(run: TextRun): string {
  let html = escapeHtml(run.text).replace(/\n/g, '<br>');
  if (run.code) html = `<code>${html}</code>`;
  if (run.strike) html = `<s>${html}</s>`;
  if (run.italic) html = `<em>${html}</em>`;
  if (run.bold) html = `<strong>${html}</strong>`;
  return html;
}

function inlinesHtml(content: readonly Inline[]): string {
  let out = '';
  let i = 0;
  while (i < content.length) {
    const run = content[i];
    if ('break' in run) {
      out += '<br>';
      i++;
      continue;
    }
    const href = safeHref(run.href);
    let j = i + 1;
    // One <a> for neighbouring runs with the same link, however their formatting changes.
    if (href) while (j < content.length && !('break' in content[j]) && (content[j] as TextRun).href === run.href) j++;
    const inner = content
      .slice(i, j)
      .map((r) => runHtml(r as TextRun))
      .join('');
    out += href ? `<a href="${escapeHtml(href)}">${inner}</a>` : inner;
    i = j;
  }
  return out;
}

function blocksHtml(blocks: readonly BriefBlock[], sessionUrl: string | undefined): string {
  return blocks.map((b) => blockHtml(b, sessionUrl)).join('\n');
}

function blockHtml(b: BriefBlock, sessionUrl: string | undefined): string {
  switch (b.type) {
    case 'heading': {
      // h1 is the export's title; the brief's headings sit one level below.
      const tag = `h${b.level + 1}`;
      return `<${tag}>${inlinesHtml(b.content)}</${tag}>`;
    }
    case 'paragraph':
      return `<p>${inlinesHtml(b.content)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((item) => `<li>${blocksHtml(item, sessionUrl)}</li>`).join('')}</${tag}>`;
    }
    case 'blockquote':
      return `<blockquote>${blocksHtml(b.blocks, sessionUrl)}</blockquote>`;
    case 'code':
      return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
    case 'rule':
      return '<hr>';
    case 'quote': {
      const link = turnLink(sessionUrl, b.turnId);
      const who = quoteAttribution(b);
      const back = link ? ` <a href="${escapeHtml(link)}" title="Open this passage in the session">↗</a>` : '';
      return (
        `<figure class="passage" data-turn="${escapeHtml(b.turnId)}">` +
        `<blockquote>“${escapeHtml(b.exact)}”</blockquote>` +
        `<figcaption>${who ? `— ${escapeHtml(who)}` : ''}${back}</figcaption></figure>`
      );
    }
  }
}

function commentHtml(c: Comment, isReply: boolean): string {
  const color = safeColor(c.author.color);
  const style = color ? ` style="border-left-color: ${color}"` : '';
  const tags = c.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join('');
  const action = escapeHtml(commentAction(c, isReply)).replace('(resolved)', '<span class="resolved">(resolved)</span>');
  const time = new Date(c.createdAt).toISOString();
  return (
    `<div class="comment${isReply ? ' reply' : ''}"${style}>` +
    `<p class="head"><strong>${escapeHtml(c.author.name || 'Anonymous')}</strong> ${action}, <time datetime="${time}">${formatTime(c.createdAt)}</time>${tags}</p>` +
    (c.body ? `<p class="body">${escapeHtml(c.body)}</p>` : '') +
    `</div>`
  );
}

function threadHtml(t: Thread, ix: TranscriptIndex): string {
  const { where, kind } = whereSaid(ix, t.root.turnId);
  const on = t.root.target
    ? `<blockquote>“${escapeHtml(t.root.target.exact)}” — ${escapeHtml(where)}</blockquote>`
    : `<p class="on">On the whole ${escapeHtml(kind)} (${escapeHtml(where)}):</p>`;
  return `<article class="thread">${on}${commentHtml(t.root, false)}${t.replies.map((r) => commentHtml(r, true)).join('')}</article>`;
}

function turnHtml(e: TurnEntry, ix: TranscriptIndex): string {
  const { turn } = e;
  const label = turnLabel(e);
  const note = turn.note ? ` <span class="note">[${escapeHtml(turn.note)}]</span>` : '';
  const gist =
    turn.kind === 'question' ? `${note}${e.gist ? ` ${escapeHtml(e.gist)}` : ''}` : `${e.gist ? ` ${escapeHtml(e.gist)}` : ''}${note}`;
  const verdicts = e.verdicts.length
    ? `<p class="verdicts">Verdicts: ${e.verdicts.map(([v, n]) => `${escapeHtml(v)} ${n}`).join(' · ')}</p>`
    : '';
  return `<div class="turn" id="turn-${escapeHtml(turn.id)}"><p class="gist"><strong>${escapeHtml(label)}:</strong>${gist}</p>${verdicts}${e.threads
    .map((t) => threadHtml(t, ix))
    .join('')}</div>`;
}

/**
 * The session as one standalone, print-ready HTML page: title block, brief,
 * then the appendix of comments. No scripts and no external resources, so it
 * opens the same offline, in a mail client or in a browser's print dialog.
 */
export function sessionToHtml(input: SessionExportInput): string {
  const outline = sessionOutline(input);
  const ix = indexTranscript(input.transcript);
  const brief = input.brief ?? [];
  const meta = [outline.place, outline.date].filter(Boolean).map((s) => escapeHtml(String(s)));
  const counts = `${countsLine(outline)}${input.exportedAt ? `, exported ${formatTime(input.exportedAt.getTime())}` : ''}.`;
  const session = input.sessionUrl ? ` <a href="${escapeHtml(input.sessionUrl)}">Open the session</a>` : '';

  const body = [
    '<header class="title-block">',
    `<h1>${escapeHtml(outline.title)}</h1>`,
    outline.transcriptTitle ? `<p class="subtitle">${escapeHtml(outline.transcriptTitle)}</p>` : '',
    meta.length ? `<p class="meta">${meta.join(' · ')}</p>` : '',
    `<p class="counts">${escapeHtml(counts)}${session}</p>`,
    '</header>',
    brief.length ? `<section class="brief">\n${blocksHtml(brief, input.sessionUrl)}\n</section>` : '',
    '<section class="appendix">',
    '<h2>Appendix: comments</h2>',
    ...outline.sections.map(
      (s) => `<section><h3>${escapeHtml(s.heading)}</h3>\n${s.turns.map((e) => turnHtml(e, ix)).join('\n')}</section>`,
    ),
    '</section>',
  ]
    .filter(Boolean)
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Parley">
<title>${escapeHtml(outline.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
