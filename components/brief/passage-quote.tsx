'use client';

import { Node, mergeAttributes, type NodeViewProps } from '@tiptap/core';
import { NodeViewWrapper, ReactNodeViewRenderer } from '@tiptap/react';
import type { QuoteBlock } from '@/lib/doc/brief';

export interface PassageQuoteOptions {
  /** False when the quoted words no longer match the transcript. */
  matches: (quote: QuoteBlock) => boolean;
  /** Scrolls the transcript to the passage and flashes it. */
  open: (quote: QuoteBlock) => void;
}

/** The attributes of a quote node, read defensively (a peer can write anything). */
export function quoteFromAttrs(attrs: Record<string, unknown>): QuoteBlock {
  return {
    type: 'quote',
    turnId: String(attrs.turnId ?? ''),
    start: Number(attrs.start ?? 0),
    end: Number(attrs.end ?? 0),
    exact: String(attrs.exact ?? ''),
    speaker: String(attrs.speaker ?? ''),
    exchange: attrs.exchange === null || attrs.exchange === undefined ? null : Number(attrs.exchange),
    commentId: typeof attrs.commentId === 'string' ? attrs.commentId : null,
    sessionId: typeof attrs.sessionId === 'string' ? attrs.sessionId : null,
  };
}

function QuoteView(props: NodeViewProps) {
  const options = props.extension.options as PassageQuoteOptions;
  const quote = quoteFromAttrs(props.node.attrs);
  const ok = options.matches(quote);
  return (
    <NodeViewWrapper
      as="figure"
      data-testid="brief.quote"
      data-turn-id={quote.turnId}
      data-stale={ok ? undefined : 'true'}
      className={`my-3 rounded-md border-l-4 bg-[var(--surface-muted)] px-3 py-2 ${
        props.selected ? 'ring-2 ring-[var(--accent)]' : ''
      } ${ok ? 'border-[var(--accent)]' : 'border-amber-600'}`}
      contentEditable={false}
    >
      <blockquote className="font-serif text-[0.95rem] italic leading-relaxed">“{quote.exact}”</blockquote>
      <figcaption className="mt-1 flex flex-wrap items-center gap-x-2 text-xs text-[var(--text-muted)]">
        <span>
          — {quote.speaker}
          {quote.exchange !== null ? `, exchange ${quote.exchange}` : ''}
        </span>
        <button
          type="button"
          data-testid="brief.quote-open"
          onClick={() => options.open(quote)}
          className="rounded px-1 font-medium text-[var(--accent)] hover:underline"
        >
          Show in transcript
        </button>
        {!ok && (
          <span role="note" className="font-medium text-amber-800 dark:text-amber-300" data-testid="brief.quote-stale">
            ⚠ These words no longer match the transcript
          </span>
        )}
      </figcaption>
    </NodeViewWrapper>
  );
}

/** A quoted passage of the transcript inside the brief: an atom block that links back to its passage. */
export const PassageQuote = Node.create<PassageQuoteOptions>({
  name: 'passageQuote',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: true,

  addOptions() {
    return { matches: () => true, open: () => undefined };
  },

  addAttributes() {
    const attr = (name: string) => ({
      default: null,
      parseHTML: (el: HTMLElement) => el.getAttribute(`data-${name}`),
      renderHTML: (attrs: Record<string, unknown>) => (attrs[name] === null ? {} : { [`data-${name}`]: String(attrs[name]) }),
    });
    return {
      turnId: attr('turnId'),
      start: { ...attr('start'), parseHTML: (el: HTMLElement) => Number(el.getAttribute('data-start')) },
      end: { ...attr('end'), parseHTML: (el: HTMLElement) => Number(el.getAttribute('data-end')) },
      exact: attr('exact'),
      speaker: attr('speaker'),
      exchange: attr('exchange'),
      commentId: attr('commentId'),
      sessionId: attr('sessionId'),
    };
  },

  parseHTML() {
    return [{ tag: 'figure[data-passage-quote]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    // Used for copy and paste: a plain quote that other editors understand, with the link data kept.
    return ['figure', mergeAttributes(HTMLAttributes, { 'data-passage-quote': '' }), ['blockquote', {}, String(node.attrs.exact ?? '')]];
  },

  addNodeView() {
    return ReactNodeViewRenderer(QuoteView);
  },
});
