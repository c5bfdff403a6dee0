'use client';

/** A selection inside one turn, in offsets of that turn's text. */
export interface TurnSelection {
  turnId: string;
  start: number;
  end: number;
  /** Where to put the floating menu, in viewport coordinates. */
  rect: { top: number; left: number; bottom: number; right: number };
}

function paragraphOf(node: Node | null): HTMLElement | null {
  const el = node instanceof HTMLElement ? node : (node?.parentElement ?? null);
  return el?.closest<HTMLElement>('[data-para-offset]') ?? null;
}

/** Offset of a DOM point inside its turn's text: the paragraph's base plus the text before the point. */
function offsetOf(para: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(para, 0);
  range.setEnd(node, offset);
  return Number(para.dataset.paraOffset) + range.toString().length;
}

/**
 * Reads the page's selection as a passage of one turn, or null when the
 * selection is empty, collapsed, or spans several turns.
 */
export function readTurnSelection(): TurnSelection | null {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  const startPara = paragraphOf(range.startContainer);
  const endPara = paragraphOf(range.endContainer);
  if (!startPara || !endPara) return null;
  const turnId = startPara.dataset.turnId;
  if (!turnId || endPara.dataset.turnId !== turnId) return null;
  const start = offsetOf(startPara, range.startContainer, range.startOffset);
  const end = offsetOf(endPara, range.endContainer, range.endOffset);
  if (end <= start) return null;
  const r = range.getBoundingClientRect();
  return { turnId, start, end, rect: { top: r.top, left: r.left, bottom: r.bottom, right: r.right } };
}
