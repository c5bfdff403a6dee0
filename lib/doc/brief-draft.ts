import type { Comment, Verdict } from './commentary';
import { threadsOf } from './commentary';
import type { BriefBlock, Inline } from './brief';
import { sectionsOf } from '../transcript/sections';
import type { Transcript } from '../transcript/types';
import { locatePassage } from '../anchor/passage';

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function text(s: string): Inline[] {
  return s ? [{ text: s }] : [];
}

function displayDate(date: string | null): string | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * A starting structure for the brief, made from the session: title, place and
 * date, a summary line, then per exchange its topic, the passages the team
 * highlighted or commented on (as quotes that link back), and the comments on
 * them. The caller inserts it; nothing the team wrote is replaced.
 */
export function draftFromSession(input: {
  transcript: Transcript;
  comments: readonly Comment[];
  verdicts: readonly Verdict[];
  sessionId: string;
}): BriefBlock[] {
  const { transcript } = input;
  const order = new Map(transcript.turns.map((t) => [t.id, t.index]));
  const turns = new Map(transcript.turns.map((t) => [t.id, t]));
  const speakerName = (label: string) => transcript.speakers.find((s) => s.label === label)?.name ?? label;
  const threads = threadsOf(input.comments, order);
  const out: BriefBlock[] = [];

  out.push({ type: 'heading', level: 1, content: text(transcript.title) });
  const meta = [transcript.place, displayDate(transcript.date)].filter(Boolean).join(' · ');
  if (meta) out.push({ type: 'paragraph', content: [{ text: meta, italic: true }] });
  const commented = threads.filter((t) => t.root.motivation === 'commenting').length;
  const highlighted = threads.filter((t) => t.root.motivation === 'highlighting').length;
  const covered = new Set(threads.map((t) => t.root.turnId));
  const answers = transcript.turns.filter((t) => t.kind === 'answer');
  out.push({
    type: 'paragraph',
    content: [
      { text: 'Summary: ', bold: true },
      {
        text: `${plural(transcript.exchanges.length, 'exchange')}; the team left ${plural(commented, 'comment thread')} and ${plural(highlighted, 'highlight')}, and discussed ${answers.filter((a) => covered.has(a.id)).length} of ${plural(answers.length, 'answer')}.`,
      },
    ],
  });

  for (const section of sectionsOf(transcript)) {
    const inSection = new Set(section.turns.map((t) => t.id));
    const mine = threads.filter((t) => inSection.has(t.root.turnId));
    out.push({ type: 'heading', level: 2, content: text(section.number ? `Exchange ${section.number}: ${section.title}` : section.title) });
    const verdictLines = section.turns
      .filter((t) => t.kind === 'answer')
      .map((t) => {
        const tally = new Map<string, number>();
        for (const v of input.verdicts) if (v.turnId === t.id) tally.set(v.value, (tally.get(v.value) ?? 0) + 1);
        return tally.size ? `${[...tally].map(([v, n]) => `${v} ${n}`).join(', ')}` : null;
      })
      .filter((v): v is string => !!v);
    if (verdictLines.length) out.push({ type: 'paragraph', content: [{ text: 'Verdicts: ', bold: true }, { text: verdictLines.join('; ') }] });
    if (!mine.length) {
      out.push({ type: 'paragraph', content: [{ text: 'Nobody has commented on this yet.', italic: true }] });
      continue;
    }
    for (const th of mine) {
      const turn = turns.get(th.root.turnId);
      if (!turn) continue;
      const target = th.root.target;
      const at = target ? locatePassage(turn.text, target) : null;
      if (target && at) {
        out.push({
          type: 'quote',
          turnId: turn.id,
          start: at.start,
          end: at.end,
          exact: target.exact,
          speaker: speakerName(turn.speaker),
          exchange: section.number,
          commentId: th.root.id,
          sessionId: input.sessionId,
        });
      }
      const notes = [th.root, ...th.replies].filter((c) => c.body);
      if (notes.length) {
        out.push({
          type: 'list',
          ordered: false,
          items: notes.map((c) => [
            {
              type: 'paragraph',
              content: [{ text: `${c.author.name}: `, bold: true }, ...text(c.body), ...(c.tags.length ? [{ text: ` (${c.tags.map((t) => `#${t}`).join(' ')})`, italic: true }] : [])],
            } as BriefBlock,
          ]),
        });
      }
    }
  }
  return out;
}
