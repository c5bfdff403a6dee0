'use client';

import { memo } from 'react';
import type { Speaker, Turn } from '@/lib/transcript/types';
import { paragraphOffsets, segmentParagraph, type Span } from '@/lib/anchor/segments';
import type { Peer } from '@/lib/presence/awareness';
import { Avatar } from '@/components/ui/avatar';
import type { Verdict } from '@/lib/doc/commentary';
import { VerdictBar } from '@/components/review/verdict-bar';

const KIND_NOUN: Record<Turn['kind'], string> = {
  statement: 'statement',
  question: 'question',
  answer: 'answer',
  remark: 'remark',
};

export interface TurnBlockProps {
  turn: Turn;
  speaker: Speaker | undefined;
  spans: Span[];
  activeSpanId: string | null;
  threadCount: number;
  readers: Peer[];
  canComment: boolean;
  onComment: (turnId: string) => void;
  onOpenThread: (commentId: string) => void;
  onShowThreads: (turnId: string) => void;
  /** True when the lead marked this turn as the one under discussion. */
  discussing: boolean;
  /** Present for the lead: marks this turn as under discussion. */
  onDiscuss?: (turnId: string) => void;
  verdicts: Verdict[];
  scale: string[];
  meId: string | null;
  onVote: (turnId: string, value: string, reason: string) => void;
}

/** A note that stands in for a question asked off the record, e.g. "Question in Russian — on UN reform". */
function noteCard(note: string): { lead: string; rest: string } {
  const m = /^in ([\p{L} -]+?),\s*on\s+(.+)$/iu.exec(note);
  if (m) return { lead: `Question in ${m[1]}`, rest: `on ${m[2]}` };
  return { lead: 'Note', rest: note };
}

function SpeakerChip({ turn, speaker }: { turn: Turn; speaker: Speaker | undefined }) {
  const asks = speaker?.role === 'asks' || turn.kind === 'question';
  const name = speaker?.name ?? turn.speaker;
  return (
    <span
      className={`inline-flex max-w-full items-center truncate rounded-md px-2 py-0.5 text-xs font-semibold tracking-wide ${
        asks
          ? 'border border-[var(--accent)] text-[var(--accent)]'
          : 'bg-[var(--text)] text-[var(--bg)]'
      }`}
      title={name !== turn.speaker ? `${turn.speaker} — ${name}` : name}
    >
      {turn.speaker}
      <span className="sr-only"> ({name}, {KIND_NOUN[turn.kind]})</span>
    </span>
  );
}

/** One turn of the transcript: speaker, note, paragraphs with highlights, and its margin. */
export const TurnBlock = memo(function TurnBlock(props: TurnBlockProps) {
  const { turn, speaker, spans, activeSpanId, threadCount, readers } = props;
  const offsets = paragraphOffsets(turn.paragraphs);
  const card = turn.note ? noteCard(turn.note) : null;
  const noun = KIND_NOUN[turn.kind];

  return (
    <article
      id={`turn-${turn.id}`}
      data-testid="turn"
      data-turn-id={turn.id}
      data-kind={turn.kind}
      tabIndex={-1}
      aria-label={`${speaker?.name ?? turn.speaker}, ${noun}`}
      data-discussing={props.discussing ? 'true' : undefined}
      className={`turn-block group relative grid scroll-mt-12 grid-cols-[4.5rem_minmax(0,1fr)_2.75rem] gap-x-3 rounded-lg py-3 pr-1 sm:grid-cols-[5.5rem_minmax(0,1fr)_3.25rem] ${
        props.discussing ? 'bg-[var(--surface)] ring-2 ring-[var(--accent)]' : ''
      }`}
    >
      <div className="pt-1 text-right">
        <SpeakerChip turn={turn} speaker={speaker} />
      </div>

      <div className="min-w-0">
        {props.discussing && (
          <p className="mb-2 inline-flex items-center gap-1.5 rounded-full bg-[var(--accent)] px-2 py-0.5 text-xs font-semibold text-[var(--accent-text)]" data-testid="turn.discussing">
            <span className="h-1.5 w-1.5 rounded-full bg-[var(--accent-text)]" aria-hidden="true" /> Discussing now
          </p>
        )}
        {card && (
          <p
            className={`mb-2 rounded-md border border-dashed border-[var(--border)] bg-[var(--surface-muted)] px-3 py-2 text-sm text-[var(--text-muted)] ${
              turn.text ? '' : 'italic'
            }`}
            data-testid="turn.note"
          >
            <span className="font-medium not-italic text-[var(--text)]">{card.lead}</span> — {card.rest}
          </p>
        )}
        {turn.paragraphs.map((para, i) => (
          <p
            key={i}
            data-turn-id={turn.id}
            data-para-offset={offsets[i]}
            className="mb-3 font-serif text-[1.0625rem] leading-relaxed last:mb-0"
          >
            {segmentParagraph(para, offsets[i], spans).map((seg) => {
              if (!seg.spans.length) return <span key={seg.start}>{seg.text}</span>;
              const real = seg.spans.filter((x) => !x.id.startsWith('__'));
              const ids = seg.spans.map((x) => x.id);
              const search = ids.includes('__search_current') ? 'search-hit search-current' : ids.includes('__search') ? 'search-hit' : '';
              const flash = ids.includes('__flash') ? 'flash' : '';
              const classes = [real.length || flash ? 'passage' : '', search, flash].filter(Boolean).join(' ');
              return (
                <mark
                  key={seg.start}
                  className={classes}
                  data-testid={real.length ? 'passage' : undefined}
                  data-annotation-ids={ids.join(' ')}
                  data-depth={Math.min(3, real.length || 1)}
                  data-active={real.some((x) => x.id === activeSpanId) ? 'true' : undefined}
                  style={{ ['--author' as string]: (real[real.length - 1] ?? seg.spans[seg.spans.length - 1]).color }}
                  onClick={real.length ? () => props.onOpenThread(real[real.length - 1].id) : undefined}
                >
                  {seg.text}
                </mark>
              );
            })}
          </p>
        ))}
        {turn.kind === 'answer' && (props.verdicts.length > 0 || props.canComment) && (
          <VerdictBar
            turnId={turn.id}
            scale={props.scale}
            verdicts={props.verdicts}
            meId={props.meId}
            canVote={props.canComment}
            onVote={(value, reason) => props.onVote(turn.id, value, reason)}
          />
        )}
        {(props.canComment || props.onDiscuss) && (
          <div className="mt-2 flex gap-1 opacity-0 transition-opacity focus-within:opacity-100 group-hover:opacity-100 group-focus-within:opacity-100 [@media(hover:none)]:opacity-100">
            {props.canComment && (
              <button
                type="button"
                data-testid="turn.comment"
                onClick={() => props.onComment(turn.id)}
                className="rounded-md px-2 py-1 text-xs font-medium text-[var(--accent)] hover:bg-[var(--surface-muted)]"
              >
                Comment on this {noun}
              </button>
            )}
            {props.onDiscuss && !props.discussing && (
              <button
                type="button"
                data-testid="turn.discuss"
                onClick={() => props.onDiscuss?.(turn.id)}
                className="rounded-md px-2 py-1 text-xs font-medium text-[var(--text-muted)] hover:bg-[var(--surface-muted)] hover:text-[var(--text)]"
              >
                Discuss this now
              </button>
            )}
          </div>
        )}
      </div>

      <div className="flex flex-col items-center gap-1.5 pt-0.5">
        {threadCount > 0 && (
          <button
            type="button"
            data-testid="turn.count"
            onClick={() => props.onShowThreads(turn.id)}
            className="inline-flex min-w-7 items-center justify-center rounded-full bg-[var(--surface-muted)] px-1.5 py-0.5 text-xs font-semibold text-[var(--text)] hover:bg-[var(--border)]"
            aria-label={`${threadCount} ${threadCount === 1 ? 'comment' : 'comments'} on this ${noun}`}
          >
            {threadCount}
          </button>
        )}
        {readers.length > 0 && (
          <div className="flex flex-col items-center -space-y-1" data-testid="margin.readers">
            {readers.slice(0, 4).map((p) => (
              <span key={p.clientId} data-testid="margin.peer" data-user-name={p.user.name}>
                <Avatar name={p.user.name} color={p.user.color} size="sm" ring title={`${p.user.name} is reading here`} />
              </span>
            ))}
            {readers.length > 4 && <span className="pt-1 text-[10px] text-[var(--text-muted)]">+{readers.length - 4}</span>}
            <span className="sr-only">{readers.map((p) => p.user.name).join(', ')} reading this {noun}</span>
          </div>
        )}
      </div>
    </article>
  );
});
