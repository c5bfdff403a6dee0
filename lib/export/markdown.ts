import type { Comment, Thread, Verdict } from '../doc/commentary';
import { threadsOf } from '../doc/commentary';
import { firstSentences } from '../anchor/passage';
import type { Transcript, Turn } from '../transcript/types';

/** What an export of a session is made from: the transcript and the session's commentary, already read out of Yjs. */
export interface SessionExportInput {
  sessionTitle: string;
  transcript: Transcript;
  comments: readonly Comment[];
  verdicts: readonly Verdict[];
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
    .map((l) => `> ${l}`)
    .join('\n');
}

function speakerName(t: Transcript, turn: Turn): string {
  return t.speakers.find((s) => s.label === turn.speaker)?.name ?? turn.speaker;
}

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function renderComment(c: Comment, depth: number): string {
  const indent = '  '.repeat(depth);
  const tags = c.tags.length ? ` — tags: ${c.tags.map((t) => `\`${t.replace(/`/g, "'")}\``).join(', ')}` : '';
  const status = depth === 0 && c.status === 'resolved' ? ' (resolved)' : '';
  const label = c.motivation === 'highlighting' ? 'highlighted' : depth === 0 ? 'commented' : 'replied';
  const head = `${indent}- **${escapeMarkdown(c.author.name || 'Anonymous')}** ${label}${status}, ${when(c.createdAt)}${tags}`;
  const body = c.body
    ? '\n' +
      c.body
        .split('\n')
        .map((l) => `${indent}  ${escapeMarkdown(l)}`)
        .join('\n')
    : '';
  return head + body;
}

function renderThread(t: Thread, transcript: Transcript, turnsById: Map<string, Turn>): string {
  const turn = turnsById.get(t.root.turnId);
  const parts: string[] = [];
  const where = turn ? `${speakerName(transcript, turn)}, ${turn.kind}` : 'turn';
  if (t.root.target) parts.push(quoteBlock(`“${escapeMarkdown(t.root.target.exact)}” — ${escapeMarkdown(where)}`));
  else parts.push(`On the whole ${turn?.kind ?? 'turn'} (${escapeMarkdown(where)}):`);
  parts.push('');
  parts.push(renderComment(t.root, 0));
  for (const r of t.replies) parts.push(renderComment(r, 1));
  return parts.join('\n');
}

function verdictLine(verdicts: readonly Verdict[], turnId: string): string | null {
  const mine = verdicts.filter((v) => v.turnId === turnId);
  if (!mine.length) return null;
  const tally = new Map<string, number>();
  for (const v of mine) tally.set(v.value, (tally.get(v.value) ?? 0) + 1);
  return `Verdicts: ${[...tally].map(([v, n]) => `${escapeMarkdown(v)} ${n}`).join(' · ')}`;
}

/**
 * The session as a Markdown brief: the transcript's title, place and date; then
 * the opening and each exchange with its question (or note), the answer's first
 * sentences and every comment and reply with author, quote and tags.
 */
export function sessionToMarkdown(input: SessionExportInput): string {
  const { transcript } = input;
  const turnsById = new Map(transcript.turns.map((t) => [t.id, t]));
  const order = new Map(transcript.turns.map((t) => [t.id, t.index]));
  const threads = threadsOf(input.comments, order);
  const byTurn = new Map<string, Thread[]>();
  for (const th of threads) {
    const list = byTurn.get(th.root.turnId) ?? [];
    list.push(th);
    byTurn.set(th.root.turnId, list);
  }

  const out: string[] = [];
  out.push(`# ${escapeMarkdown(input.sessionTitle || transcript.title)}`);
  out.push('');
  if (input.sessionTitle && input.sessionTitle !== transcript.title) out.push(`*${escapeMarkdown(transcript.title)}*  `);
  const meta = [transcript.place, transcript.date].filter(Boolean).map((s) => escapeMarkdown(String(s)));
  if (meta.length) out.push(meta.join(' · '));
  const rootCount = threads.length;
  const replyCount = threads.reduce((n, t) => n + t.replies.length, 0);
  out.push('');
  out.push(
    `${rootCount} ${rootCount === 1 ? 'thread' : 'threads'} and ${replyCount} ${replyCount === 1 ? 'reply' : 'replies'}` +
      (input.exportedAt ? `, exported ${when(input.exportedAt.getTime())}` : '') +
      '.',
  );
  if (input.sessionUrl) out.push(`Session: <${input.sessionUrl}>`);

  const inExchange = new Set<string>();
  for (const x of transcript.exchanges) {
    inExchange.add(x.question);
    for (const a of x.answers) inExchange.add(a);
  }

  const section = (heading: string, turnIds: string[]) => {
    out.push('', `## ${escapeMarkdown(heading)}`, '');
    for (const id of turnIds) {
      const turn = turnsById.get(id);
      if (!turn) continue;
      const who = escapeMarkdown(speakerName(transcript, turn));
      if (turn.kind === 'question') {
        const q = turn.text ? firstSentences(turn.text, 3) : '';
        const note = turn.note ? `*[${escapeMarkdown(turn.note)}]*` : '';
        out.push(`**${who} (question):** ${[note, escapeMarkdown(q)].filter(Boolean).join(' ')}`);
      } else {
        const gist = firstSentences(turn.text, 2);
        out.push(`**${who}${turn.kind === 'answer' ? ' (answer)' : ''}:** ${escapeMarkdown(gist)}${turn.note ? ` *[${escapeMarkdown(turn.note)}]*` : ''}`);
      }
      out.push('');
      const v = verdictLine(input.verdicts, id);
      if (v) out.push(v, '');
      for (const th of byTurn.get(id) ?? []) out.push(renderThread(th, transcript, turnsById), '');
    }
  };

  const before = transcript.turns.filter((t) => !inExchange.has(t.id) && (transcript.exchanges[0] ? t.index < (turnsById.get(transcript.exchanges[0].question)?.index ?? 0) : true));
  if (before.length) section(before.length === 1 && before[0].kind === 'statement' ? 'Opening statement' : 'Opening', before.map((t) => t.id));
  for (const x of transcript.exchanges) section(`Exchange ${x.number}: ${x.topic}`, [x.question, ...x.answers]);
  const after = transcript.turns.filter((t) => !inExchange.has(t.id) && !before.includes(t));
  if (after.length) section('Other remarks', after.map((t) => t.id));

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
