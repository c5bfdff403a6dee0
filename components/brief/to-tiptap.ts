import type { JSONContent } from '@tiptap/core';
import type { BriefBlock, Inline } from '@/lib/doc/brief';

function inline(content: readonly Inline[]): JSONContent[] {
  return content.map((r): JSONContent => {
    if ('break' in r) return { type: 'hardBreak' };
    const marks: JSONContent['marks'] = [];
    if (r.bold) marks.push({ type: 'bold' });
    if (r.italic) marks.push({ type: 'italic' });
    if (r.strike) marks.push({ type: 'strike' });
    if (r.code) marks.push({ type: 'code' });
    if (r.href) marks.push({ type: 'link', attrs: { href: r.href } });
    return { type: 'text', text: r.text, ...(marks.length ? { marks } : {}) };
  }).filter((n) => n.type !== 'text' || n.text);
}

/** Converts the project's brief blocks into Tiptap JSON, so the editor inserts them as its own (undoable) change. */
export function blocksToTiptap(blocks: readonly BriefBlock[]): JSONContent[] {
  return blocks.map((b): JSONContent => {
    switch (b.type) {
      case 'heading':
        return { type: 'heading', attrs: { level: b.level }, content: inline(b.content) };
      case 'paragraph':
        return { type: 'paragraph', content: inline(b.content) };
      case 'list':
        return {
          type: b.ordered ? 'orderedList' : 'bulletList',
          content: b.items.map((item) => ({ type: 'listItem', content: blocksToTiptap(item.length ? item : [{ type: 'paragraph', content: [] }]) })),
        };
      case 'blockquote':
        return { type: 'blockquote', content: blocksToTiptap(b.blocks) };
      case 'code':
        return { type: 'codeBlock', content: b.text ? [{ type: 'text', text: b.text }] : [] };
      case 'rule':
        return { type: 'horizontalRule' };
      case 'quote':
        return {
          type: 'passageQuote',
          attrs: {
            turnId: b.turnId,
            start: b.start,
            end: b.end,
            exact: b.exact,
            speaker: b.speaker,
            exchange: b.exchange,
            commentId: b.commentId,
            sessionId: b.sessionId ?? null,
          },
        };
    }
  });
}
