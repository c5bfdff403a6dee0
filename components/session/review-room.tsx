'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Transcript, Turn } from '@/lib/transcript/types';
import { sectionsOf } from '@/lib/transcript/sections';
import {
  addComment,
  addReply,
  deleteComment,
  editComment,
  importCommentary,
  setResolved,
  setVerdict,
  threadsOf,
  type Verdict,
  type Comment,
  type Thread,
} from '@/lib/doc/commentary';
import { firstSentences, locatePassage, makePassage, trimRange } from '@/lib/anchor/passage';
import type { Span } from '@/lib/anchor/segments';
import type { Peer } from '@/lib/presence/awareness';
import { useCollab } from './use-collab';
import { rememberSession } from './recent-sessions';
import { SharePanel } from './share-panel';
import { isTypingTarget, KeyboardHelp } from './keyboard-help';
import { canManageLinks, canWriteBrief, canWriteCommentary, ROLE_LABELS, type Role } from '@/lib/collab/roles';
import type { Editor } from '@tiptap/react';
import { briefRoom, ensureBriefSchema, writeBriefBlocks, type BriefBlock, type QuoteBlock } from '@/lib/doc/brief';
import { draftFromSession } from '@/lib/doc/brief-draft';
import { BriefEditor } from '@/components/brief/brief-editor';
import { blocksToTiptap } from '@/components/brief/to-tiptap';
import { ExportMenu } from './export-menu';
import { LeadBar } from '@/components/review/lead-bar';
import { useCodebook, useCommentaryUndo, useReviewState } from '@/components/review/use-review';
import { CodebookPanel } from '@/components/review/codebook-panel';
import { HistoryPanel } from '@/components/review/history-panel';
import { addCode, codeColor, describeCode, mergeCodes, renameCode, setCodeRetired } from '@/lib/doc/codebook';
import { setFocus, setLead, setTimer, setVerdictScale } from '@/lib/doc/review';
import { useCommentary } from '@/components/commentary/use-commentary';
import { CommentaryPane, type Draft } from '@/components/commentary/commentary-pane';
import { FilterBar } from '@/components/commentary/filter-bar';
import { filterThreads, mentions, NO_FILTER, type ThreadFilter } from '@/lib/doc/filter';
import type { ThreadActions } from '@/components/commentary/thread-card';
import { setPresence, usePeers } from '@/components/presence/use-presence';
import { loadLocalUser, saveLocalUser, type LocalUser } from '@/components/presence/identity';
import { NameCard } from '@/components/presence/name-card';
import { PresenceBar } from '@/components/presence/presence-bar';
import { ConnectionPill } from '@/components/ui/connection-pill';
import { Navigator } from '@/components/transcript/navigator';
import { SearchBox } from '@/components/transcript/search-box';
import { searchTranscript } from '@/lib/transcript/search';
import { TurnBlock } from '@/components/transcript/turn-block';
import { SelectionMenu } from '@/components/transcript/selection-menu';
import { readTurnSelection, type TurnSelection } from '@/components/transcript/selection';

export interface ReviewRoomProps {
  session: { id: string; title: string };
  transcript: Transcript;
  /** The role the session link grants; the server enforces it, the UI reflects it. */
  role: Role;
  /** The link's key, sent with every request and the websocket. */
  accessKey: string;
}

/** "2018-06-21" → "21 June 2018"; anything else as written. */
function displayDate(date: string | null): string | null {
  if (!date) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * Scrolls an element into view, smoothly unless the analyst asked for less motion.
 * Turns far off screen are laid out at an estimated height (content-visibility),
 * so the first scroll can land short once they render; a second, instant scroll
 * after the first settles corrects that.
 */
function scrollIntoViewIfNeeded(el: Element | null, block: ScrollLogicalPosition = 'center') {
  if (!el) return;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block });
  const scroller = el.closest('main');
  let settled = false;
  const correct = () => {
    if (settled) return;
    settled = true;
    scroller?.removeEventListener('scrollend', correct);
    el.scrollIntoView({ behavior: 'auto', block });
  };
  scroller?.addEventListener('scrollend', correct, { once: true });
  window.setTimeout(correct, reduce ? 50 : 900);
}

function flashElement(el: Element | null) {
  if (!el) return;
  el.classList.remove('flash');
  // Force a reflow so the animation restarts when the same element flashes twice.
  void (el as HTMLElement).offsetWidth;
  el.classList.add('flash');
  window.setTimeout(() => el.classList.remove('flash'), 1300);
}

/** The id of the passage that flashes when a brief quote is opened. */
export const FLASH_SPAN = '__flash';
/** Ids of the spans that mark search matches. */
export const SEARCH_HIT = '__search';
export const SEARCH_CURRENT = '__search_current';

// Shared empty lists: a fresh [] per render would defeat TurnBlock's memo, and
// every turn of a long hearing would re-render whenever the reading position moves.
const EMPTY_VERDICTS: Verdict[] = [];
const EMPTY_SPANS: Span[] = [];
const EMPTY_PEERS: Peer[] = [];

/** One panel of the right pane's tabs; hidden (not unmounted) when another tab is current. */
function TabPanel({ name, current, children }: { name: string; current: string; children: React.ReactNode }) {
  return (
    <div
      id={`panel-${name}`}
      role="tabpanel"
      aria-labelledby={`tab-${name}`}
      hidden={current !== name}
      className="min-h-0 flex-1 flex-col data-[on=true]:flex"
      data-on={current === name}
    >
      {children}
    </div>
  );
}

/** The review room: navigator, transcript and commentary, all live on the session's Y.Doc. */
export function ReviewRoom({ session, transcript, role, accessKey }: ReviewRoomProps) {
  const [user, setUser] = useState<LocalUser | null>(null);
  const [userChecked, setUserChecked] = useState(false);
  const collab = useCollab(session.id, { accessKey, name: user?.name ?? '', userId: user?.id ?? '' });
  const [shareOpen, setShareOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [replyRequest, setReplyRequest] = useState(0);
  const doc = collab?.doc ?? null;
  const provider = collab?.provider ?? null;
  const { comments, verdicts, remoteChanged } = useCommentary(doc);
  const brief = useCollab(briefRoom(session.id), { accessKey, name: user?.name ?? '', userId: user?.id ?? '', onReady: ensureBriefSchema });
  const briefEditor = useRef<Editor | null>(null);
  const [tab, setTab] = useState<'commentary' | 'brief' | 'codebook' | 'history'>('commentary');
  const [notice, setNotice] = useState<string | null>(null);
  const [flashPassage, setFlashPassage] = useState<{ turnId: string; start: number; end: number; at: number } | null>(null);
  const peers = usePeers(provider);
  const review = useReviewState(doc);
  const undo = useCommentaryUndo(doc);
  const codes = useCodebook(doc);
  const [colorByTag, setColorByTag] = useState(false);
  const [following, setFollowing] = useState(true);
  const [query, setQuery] = useState('');
  const [hitIndex, setHitIndex] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const isLead = !!user && review.lead?.userId === user.id;
  const focusTurnId = review.focus?.turnId ?? null;

  const [draft, setDraft] = useState<Draft | null>(null);
  const [selection, setSelection] = useState<TurnSelection | null>(null);
  const [activeThreadId, setActiveThreadId] = useState<string | null>(null);
  const [filter, setFilter] = useState<ThreadFilter>(NO_FILTER);
  const [lastVisit, setLastVisit] = useState<number | null>(null);
  const [currentTurnId, setCurrentTurnId] = useState<string | null>(null);
  const [paneOpen, setPaneOpen] = useState(false);
  const [navOpen, setNavOpen] = useState(false);
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());
  const [actionError, setActionError] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const paneRef = useRef<HTMLDivElement>(null);

  // The name lives in localStorage, which the server cannot read: load it after mount.
  useEffect(() => {
    setUser(loadLocalUser());
    setUserChecked(true);
  }, []);

  // Following the lead is on by default; the choice is remembered per session in this browser.
  useEffect(() => {
    try {
      setFollowing(window.localStorage.getItem(`parley:follow:${session.id}`) !== 'off');
    } catch {
      setFollowing(true);
    }
  }, [session.id]);

  const toggleFollow = useCallback(() => {
    setFollowing((v) => {
      try {
        window.localStorage.setItem(`parley:follow:${session.id}`, v ? 'off' : 'on');
      } catch {
        // Not remembered; still toggled for this visit.
      }
      return !v;
    });
  }, [session.id]);

  // "New since my last visit": read the previous visit, then record this one.
  useEffect(() => {
    const key = `parley:visit:${session.id}`;
    try {
      const prev = Number(window.localStorage.getItem(key));
      setLastVisit(prev > 0 ? prev : null);
      window.localStorage.setItem(key, String(Date.now()));
    } catch {
      setLastVisit(null);
    }
  }, [session.id]);

  // Sessions are reachable only by link: remember this one for the start page.
  useEffect(() => {
    rememberSession({ id: session.id, title: session.title, transcriptTitle: transcript.title, role, key: accessKey });
  }, [session.id, session.title, transcript.title, role, accessKey]);

  useEffect(() => {
    if (provider && user) setPresence(provider, { user, typing: false });
  }, [provider, user]);

  useEffect(() => {
    if (provider && user) setPresence(provider, { following });
  }, [provider, user, following]);

  useEffect(() => {
    if (!remoteChanged.size) return;
    setFlashing(remoteChanged);
    const t = window.setTimeout(() => setFlashing(new Set()), 1300);
    return () => window.clearTimeout(t);
  }, [remoteChanged]);

  const sections = useMemo(() => sectionsOf(transcript), [transcript]);
  const turnsById = useMemo(() => new Map(transcript.turns.map((t) => [t.id, t])), [transcript]);
  const turnOrder = useMemo(() => new Map(transcript.turns.map((t) => [t.id, t.index])), [transcript]);
  const speakersByLabel = useMemo(() => new Map(transcript.speakers.map((s) => [s.label, s])), [transcript]);
  const sectionOfTurn = useMemo(() => {
    const m = new Map<string, (typeof sections)[number]>();
    for (const s of sections) for (const t of s.turns) m.set(t.id, s);
    return m;
  }, [sections]);

  const threads = useMemo(() => threadsOf(comments, turnOrder), [comments, turnOrder]);

  const me = useMemo(() => (user ? { id: user.id, name: user.name } : null), [user]);
  const filterCtx = useMemo(
    () => ({ sectionOfTurn: (id: string) => sectionOfTurn.get(id)?.id ?? null, verdicts, meId: user?.id ?? null }),
    [sectionOfTurn, verdicts, user?.id],
  );
  const visibleThreads = useMemo(() => filterThreads(threads, filter, filterCtx), [threads, filter, filterCtx]);
  const newCount = useMemo(
    () => (lastVisit === null ? 0 : filterThreads(threads, { ...NO_FILTER, newSince: lastVisit }, filterCtx).length),
    [threads, lastVisit, filterCtx],
  );
  const mentionCount = useMemo(
    () => (me ? threads.filter((t) => [t.root, ...t.replies].some((c) => c.author.id !== me.id && mentions(c.body, me.name))).length : 0),
    [threads, me],
  );
  const filterOptions = useMemo(() => {
    const authors = new Map<string, string>();
    const tags = new Set<string>();
    for (const c of comments) {
      authors.set(c.author.id, c.author.name);
      c.tags.forEach((t) => tags.add(t));
    }
    return {
      authors: [...authors].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
      tags: [...tags].sort((a, b) => a.localeCompare(b)),
      sections: sections.map((x) => ({ id: x.id, title: x.number ? `${x.number}. ${x.title}` : x.title })),
      verdicts: review.scale,
    };
  }, [comments, sections, review.scale]);

  const tagUsage = useMemo(() => {
    const m = new Map<string, { name: string; count: number }>();
    for (const c of comments)
      for (const t of c.tags) {
        const k = t.toLowerCase();
        m.set(k, { name: m.get(k)?.name ?? t, count: (m.get(k)?.count ?? 0) + 1 });
      }
    return m;
  }, [comments]);
  const tagSuggestions = useMemo(() => codes.filter((c) => !c.retired).map((c) => c.name), [codes]);

  const mentionNames = useMemo(() => {
    const names = new Set<string>();
    for (const p of peers) if (!p.isSelf) names.add(p.user.name);
    for (const c of comments) if (c.author.id !== user?.id) names.add(c.author.name);
    return [...names].sort((a, b) => a.localeCompare(b));
  }, [peers, comments, user?.id]);

  const verdictsByTurn = useMemo(() => {
    const m = new Map<string, Verdict[]>();
    for (const v of verdicts) m.set(v.turnId, [...(m.get(v.turnId) ?? []), v]);
    return m;
  }, [verdicts]);

  const hits = useMemo(() => searchTranscript(transcript, query), [transcript, query]);
  const currentHit = hits.length ? hits[Math.min(hitIndex, hits.length - 1)] : null;

  const stepHit = useCallback(
    (delta: 1 | -1) => {
      if (!hits.length) return;
      const next = (Math.min(hitIndex, hits.length - 1) + delta + hits.length) % hits.length;
      setHitIndex(next);
      window.requestAnimationFrame(() =>
        scrollIntoViewIfNeeded(scrollRef.current?.querySelector(`mark[data-annotation-ids~="${SEARCH_CURRENT}"]`) ?? null),
      );
    },
    [hits, hitIndex],
  );

  // A new query shows its first match.
  useEffect(() => {
    if (query.trim().length < 2) return;
    const t = window.setTimeout(
      () => scrollIntoViewIfNeeded(scrollRef.current?.querySelector(`mark[data-annotation-ids~="${SEARCH_CURRENT}"]`) ?? null),
      50,
    );
    return () => window.clearTimeout(t);
  }, [query]);

  const spansByTurn = useMemo(() => {
    const m = new Map<string, Span[]>();
    for (const th of threads) {
      const c = th.root;
      const turn = turnsById.get(c.turnId);
      if (!c.target || !turn) continue;
      const at = locatePassage(turn.text, c.target);
      if (!at) continue;
      const list = m.get(c.turnId) ?? [];
      const color = (colorByTag && codeColor(codes, c.tags)) || c.author.color;
      list.push({ id: c.id, start: at.start, end: at.end, color });
      m.set(c.turnId, list);
    }
    for (const h of hits) {
      const list = m.get(h.turnId) ?? [];
      list.push({ id: h === currentHit ? SEARCH_CURRENT : SEARCH_HIT, start: h.start, end: h.end, color: 'transparent' });
      m.set(h.turnId, list);
    }
    if (flashPassage) {
      const list = m.get(flashPassage.turnId) ?? [];
      list.push({ id: FLASH_SPAN, start: flashPassage.start, end: flashPassage.end, color: 'var(--accent)' });
      m.set(flashPassage.turnId, list);
    }
    return m;
  }, [threads, turnsById, flashPassage, hits, currentHit, colorByTag, codes]);

  const threadCountByTurn = useMemo(() => {
    const m = new Map<string, number>();
    for (const th of threads) m.set(th.root.turnId, (m.get(th.root.turnId) ?? 0) + 1);
    return m;
  }, [threads]);

  const countsBySection = useMemo(() => {
    const m = new Map<string, number>();
    for (const th of threads) {
      const s = sectionOfTurn.get(th.root.turnId);
      if (s) m.set(s.id, (m.get(s.id) ?? 0) + 1);
    }
    return m;
  }, [threads, sectionOfTurn]);

  const verdictsBySection = useMemo(() => {
    const m = new Map<string, number>();
    for (const v of verdicts) {
      const sec = sectionOfTurn.get(v.turnId);
      if (sec) m.set(sec.id, (m.get(sec.id) ?? 0) + 1);
    }
    return m;
  }, [verdicts, sectionOfTurn]);

  // Sections with an answer that analysts judged differently: the overview lists them.
  const disagreementSections = useMemo(() => {
    const valuesByTurn = new Map<string, Set<string>>();
    for (const v of verdicts) valuesByTurn.set(v.turnId, (valuesByTurn.get(v.turnId) ?? new Set()).add(v.value));
    const out = new Set<string>();
    for (const [turnId, values] of valuesByTurn) {
      const sec = sectionOfTurn.get(turnId);
      if (sec && values.size > 1) out.add(sec.id);
    }
    return out;
  }, [verdicts, sectionOfTurn]);

  const readersByTurn = useMemo(() => {
    const m = new Map<string, Peer[]>();
    for (const p of peers) {
      if (p.isSelf || !p.turnId) continue;
      const list = m.get(p.turnId) ?? [];
      list.push(p);
      m.set(p.turnId, list);
    }
    return m;
  }, [peers]);

  // Reading position: the turn that crosses a reading line a fifth of the way down
  // the transcript pane (a thin band, so exactly one turn is "current" at a time).
  useEffect(() => {
    const root = scrollRef.current;
    if (!root) return;
    const visible = new Set<string>();
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          const id = (e.target as HTMLElement).dataset.turnId;
          if (!id) continue;
          if (e.isIntersecting) visible.add(id);
          else visible.delete(id);
        }
        let best: string | null = null;
        for (const id of visible) if (!best || (turnOrder.get(id) ?? 0) < (turnOrder.get(best) ?? 0)) best = id;
        if (best) setCurrentTurnId(best);
      },
      { root, rootMargin: '-20% 0px -79% 0px' },
    );
    root.querySelectorAll('article[data-turn-id]').forEach((el) => io.observe(el));
    return () => io.disconnect();
  }, [turnOrder]);

  useEffect(() => {
    if (!provider || !user) return;
    const t = window.setTimeout(() => setPresence(provider, { turnId: currentTurnId }), 150);
    return () => window.clearTimeout(t);
  }, [provider, user, currentTurnId]);

  const canWrite = canWriteCommentary(role) && !!user && !!doc && collab?.connection.kind !== 'refused';

  const run = useCallback((fn: () => void) => {
    try {
      fn();
      setActionError(null);
    } catch (err) {
      setActionError((err as Error).message);
    }
  }, []);

  const setTyping = useCallback(
    (typing: boolean) => {
      if (provider && user) setPresence(provider, { typing });
    },
    [provider, user],
  );

  const openThread = useCallback(
    (id: string) => {
      const c = comments.find((x) => x.id === id);
      const rootId = c?.parentId ?? id;
      setActiveThreadId(rootId);
      setPaneOpen(true);
      // A thread opened from the transcript must be visible: drop filters that hide it.
      if (c) setFilter(NO_FILTER);
      window.requestAnimationFrame(() => {
        const card = paneRef.current?.querySelector(`[data-thread-id="${rootId}"]`) ?? null;
        scrollIntoViewIfNeeded(card, 'nearest');
      });
    },
    [comments],
  );

  const jumpToComment = useCallback((c: Comment) => {
    const root = scrollRef.current;
    if (!root) return;
    const mark = root.querySelector(`mark[data-annotation-ids~="${c.id}"]`);
    const target = mark ?? root.querySelector(`#turn-${c.turnId}`);
    setActiveThreadId(c.parentId ?? c.id);
    scrollIntoViewIfNeeded(target);
    flashElement(target);
    setPaneOpen(false);
  }, []);

  const jumpToSection = useCallback((id: string) => {
    const el = document.getElementById(id);
    scrollIntoViewIfNeeded(el, 'start');
    (el?.querySelector('h2') as HTMLElement | null)?.focus({ preventScroll: true });
    setNavOpen(false);
  }, []);

  const startTurnComment = useCallback((turnId: string) => {
    setDraft({ turnId, target: null });
    setPaneOpen(true);
  }, []);

  const showTurnThreads = useCallback(
    (turnId: string) => {
      const first = threads.find((t) => t.root.turnId === turnId);
      if (first) openThread(first.root.id);
    },
    [threads, openThread],
  );

  const selectionPassage = (sel: TurnSelection) => {
    const turn = turnsById.get(sel.turnId);
    if (!turn) return null;
    const r = trimRange(turn.text, sel.start, sel.end);
    return r ? makePassage(turn.text, r.start, r.end) : null;
  };

  // The menu follows the selection however it was made (mouse, keyboard, touch,
  // double-click), but not while a mouse drag is still extending it.
  useEffect(() => {
    if (!canWrite) {
      setSelection(null);
      return;
    }
    let pointerDown = false;
    let timer: number | undefined;
    const read = () => setSelection(readTurnSelection());
    const onDown = () => {
      pointerDown = true;
    };
    const onUp = () => {
      pointerDown = false;
      window.clearTimeout(timer);
      // Let the browser finish updating the selection before it is read.
      timer = window.setTimeout(read, 0);
    };
    const onChange = () => {
      const s = window.getSelection();
      if (!s || s.isCollapsed) {
        window.clearTimeout(timer);
        setSelection(null);
        return;
      }
      if (pointerDown) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(read, 120);
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('pointerup', onUp);
    document.addEventListener('selectionchange', onChange);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('pointerup', onUp);
      document.removeEventListener('selectionchange', onChange);
    };
  }, [canWrite]);

  const commentOnSelection = () => {
    if (!selection) return;
    const p = selectionPassage(selection);
    if (p) {
      setDraft({ turnId: selection.turnId, target: p });
      setPaneOpen(true);
    }
    window.getSelection()?.removeAllRanges();
    setSelection(null);
  };

  const highlightSelection = () => {
    if (!selection || !doc || !user) return;
    const p = selectionPassage(selection);
    if (p) run(() => addComment(doc, { turnId: selection.turnId, target: p, motivation: 'highlighting', body: '', author: user }));
    window.getSelection()?.removeAllRanges();
    setSelection(null);
  };

  const postDraft = (body: string, tags: string[]) => {
    if (!doc || !user || !draft) return;
    const turn = turnsById.get(draft.turnId);
    run(() => {
      const target = draft.target && turn ? makePassage(turn.text, draft.target.start, draft.target.end) : null;
      const id = addComment(doc, { turnId: draft.turnId, target, body, tags, author: user });
      setDraft(null);
      setActiveThreadId(id);
    });
  };

  const canEditBrief = canWriteBrief(role) && !!user && !!brief?.doc && brief.connection.kind !== 'refused';

  const insertIntoBrief = useCallback(
    (blocks: BriefBlock[], message: string) => {
      const editor = briefEditor.current;
      run(() => {
        if (editor && !editor.isDestroyed) {
          // Through the editor, so the insertion is this analyst's own change that undo can revert.
          editor.chain().insertContentAt(editor.state.doc.content.size, blocksToTiptap(blocks)).run();
        } else if (brief?.doc) {
          writeBriefBlocks(brief.doc, blocks);
        } else {
          throw new Error('The brief is not open yet; try again in a moment.');
        }
        setNotice(message);
      });
    },
    [brief?.doc, run],
  );

  useEffect(() => {
    if (!notice) return;
    const t = window.setTimeout(() => setNotice(null), 4000);
    return () => window.clearTimeout(t);
  }, [notice]);

  const quoteOf = useCallback(
    (turnId: string, start: number, end: number, commentId: string | null): QuoteBlock | null => {
      const turn = turnsById.get(turnId);
      if (!turn) return null;
      return {
        type: 'quote',
        turnId,
        start,
        end,
        exact: turn.text.slice(start, end),
        speaker: speakersByLabel.get(turn.speaker)?.name ?? turn.speaker,
        exchange: sectionOfTurn.get(turnId)?.number ?? null,
        commentId,
        sessionId: session.id,
      };
    },
    [turnsById, speakersByLabel, sectionOfTurn, session.id],
  );

  const addThreadToBrief = (th: Thread) => {
    const turn = turnsById.get(th.root.turnId);
    if (!turn) return;
    const at = th.root.target ? locatePassage(turn.text, th.root.target) : null;
    // A comment on a whole turn quotes the turn's opening sentences (or its note when it has no words).
    const gist = turn.text ? firstSentences(turn.text, 2) : '';
    const range = at ?? (gist && turn.text.startsWith(gist) ? { start: 0, end: gist.length } : null);
    const blocks: BriefBlock[] = [];
    const q = range ? quoteOf(turn.id, range.start, range.end, th.root.id) : null;
    if (q) blocks.push(q);
    else if (turn.note) blocks.push({ type: 'paragraph', content: [{ text: `${turn.speaker}: [${turn.note}]`, italic: true }] });
    const notes = [th.root, ...th.replies].filter((c) => c.body);
    if (notes.length) {
      blocks.push({
        type: 'list',
        ordered: false,
        items: notes.map((c) => [{ type: 'paragraph', content: [{ text: `${c.author.name}: `, bold: true }, { text: c.body }] }]),
      });
    }
    insertIntoBrief(blocks, 'Added to the brief.');
  };

  const openQuote = useCallback(
    (q: QuoteBlock) => {
      const turn = turnsById.get(q.turnId);
      if (!turn) {
        setActionError('That passage is not in this transcript.');
        return;
      }
      const at = locatePassage(turn.text, { start: q.start, end: q.end, exact: q.exact, prefix: '', suffix: '' });
      setFlashPassage({ turnId: q.turnId, start: at?.start ?? 0, end: at?.end ?? Math.min(turn.text.length, 1), at: Date.now() });
      setPaneOpen(false);
      window.requestAnimationFrame(() => {
        const el = scrollRef.current?.querySelector(`mark[data-annotation-ids~="${FLASH_SPAN}"]`) ?? document.getElementById(`turn-${q.turnId}`);
        scrollIntoViewIfNeeded(el);
      });
    },
    [turnsById],
  );

  useEffect(() => {
    if (!flashPassage) return;
    const t = window.setTimeout(() => setFlashPassage(null), 1800);
    return () => window.clearTimeout(t);
  }, [flashPassage]);

  const onBriefEditor = useCallback((e: Editor | null) => {
    briefEditor.current = e;
  }, []);

  const draftBrief = () =>
    insertIntoBrief(draftFromSession({ transcript, comments, verdicts, sessionId: session.id }), 'A draft from the session was added at the end of the brief.');

  const selectionToBrief = () => {
    if (!selection) return;
    const p = selectionPassage(selection);
    const q = p ? quoteOf(selection.turnId, p.start, p.end, null) : null;
    if (q) insertIntoBrief([q], 'Quote added to the brief.');
    window.getSelection()?.removeAllRanges();
    setSelection(null);
  };

  const actions: ThreadActions = {
    reply: (parentId, body, tags) => doc && user && run(() => addReply(doc, parentId, { body, tags, author: user })),
    edit: (id, body, tags) => doc && run(() => editComment(doc, id, { body, tags })),
    remove: (id) => doc && run(() => deleteComment(doc, id)),
    resolve: (id, resolved) => doc && user && run(() => setResolved(doc, id, resolved, user.id)),
    jumpTo: jumpToComment,
    typing: setTyping,
    addToBrief: canEditBrief ? addThreadToBrief : undefined,
  };

  const describe = (th: Thread) => {
    const turn = turnsById.get(th.root.turnId);
    const s = sectionOfTurn.get(th.root.turnId);
    if (!turn) return 'A turn no longer in this transcript';
    const where = s?.number ? `Exchange ${s.number}` : (s?.title ?? 'Transcript');
    return `${where} · ${turn.kind} (${turn.speaker})${th.root.target ? '' : ' · whole turn'}`;
  };

  const focusTurn = useCallback((turnId: string) => {
    const el = document.getElementById(`turn-${turnId}`);
    if (!el) return;
    scrollIntoViewIfNeeded(el, 'start');
    el.focus({ preventScroll: true });
    setCurrentTurnId(turnId);
  }, []);

  // Page-wide keys (listed in the `?` panel); never while typing in a field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
        e.preventDefault();
        if (e.key === 'y' || e.shiftKey) undo.redo();
        else undo.undo();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const turns = transcript.turns;
      // The keyboard works from what has focus (a turn, or a section heading reached
      // with [ and ]), and from the reading position when focus is elsewhere.
      const focused = document.activeElement as HTMLElement | null;
      const focusedTurn = focused?.closest<HTMLElement>('article[data-turn-id]')?.dataset.turnId ?? null;
      const focusedSection = focused?.closest<HTMLElement>('section[id]')?.id ?? null;
      const sectionIds = sections.map((s) => s.id);
      let at = currentTurnId ? (turnOrder.get(currentTurnId) ?? -1) : -1;
      let atSection = currentTurnId ? sectionIds.indexOf(sectionOfTurn.get(currentTurnId)?.id ?? '') : -1;
      if (focusedTurn) {
        at = turnOrder.get(focusedTurn) ?? at;
        atSection = sectionIds.indexOf(sectionOfTurn.get(focusedTurn)?.id ?? '');
      } else if (focusedSection && sectionIds.includes(focusedSection)) {
        atSection = sectionIds.indexOf(focusedSection);
        at = (sections[atSection].turns[0]?.index ?? 0) - 1;
      }
      const commentTurn = focusedTurn ?? currentTurnId;
      const move = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      switch (e.key) {
        case '?':
          return move(() => setHelpOpen((v) => !v));
        case '/':
          return move(() => {
            setNavOpen(true);
            window.requestAnimationFrame(() => searchRef.current?.focus());
          });
        case 'j':
        case 'ArrowDown':
          if (e.key === 'ArrowDown' && !(e.target as HTMLElement)?.closest?.('article')) return;
          return move(() => turns[at + 1] && focusTurn(turns[at + 1].id));
        case 'k':
        case 'ArrowUp':
          if (e.key === 'ArrowUp' && !(e.target as HTMLElement)?.closest?.('article')) return;
          return move(() => turns[at - 1] && focusTurn(turns[at - 1].id));
        case ']':
          return move(() => sections[atSection + 1] && jumpToSection(sections[atSection + 1].id));
        case '[':
          return move(() => sections[Math.max(0, atSection - 1)] && jumpToSection(sections[Math.max(0, atSection - 1)].id));
        case 'c':
          if (canWrite && commentTurn) move(() => startTurnComment(commentTurn));
          return;
        case 'f':
          if (review.lead && !isLead) move(toggleFollow);
          return;
        case 'r':
          if (canWrite && activeThreadId)
            move(() => {
              setTab('commentary');
              setPaneOpen(true);
              setReplyRequest((n) => n + 1);
            });
          return;
        case 'x': {
          const active = activeThreadId ? comments.find((c) => c.id === activeThreadId) : null;
          if (canWrite && active && doc && user) move(() => run(() => setResolved(doc, active.id, active.status !== 'resolved', user.id)));
          return;
        }
        case 'n':
        case 'p': {
          // Next / previous thread in the pane, in transcript order.
          if (!visibleThreads.length) return;
          const at = visibleThreads.findIndex((t) => t.root.id === activeThreadId);
          const next = visibleThreads[(at + (e.key === 'n' ? 1 : -1) + visibleThreads.length) % visibleThreads.length];
          move(() => {
            openThread(next.root.id);
            jumpToComment(next.root);
            setPaneOpen(true);
          });
          return;
        }
        case 'Escape':
          setSelection(null);
          setShareOpen(false);
          setNavOpen(false);
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [transcript.turns, currentTurnId, turnOrder, sections, sectionOfTurn, canWrite, focusTurn, jumpToSection, startTurnComment, undo, review.lead, isLead, toggleFollow, activeThreadId, comments, doc, user, run, visibleThreads, openThread, jumpToComment]);

  // Followers' transcripts scroll to the turn the lead marks; nobody else's view moves.
  useEffect(() => {
    if (!focusTurnId || !following || isLead) return;
    scrollIntoViewIfNeeded(document.getElementById(`turn-${focusTurnId}`), 'start');
    // user?.id: a newcomer who names themselves after the focus arrived is taken there too.
  }, [focusTurnId, review.focus?.at, following, isLead, user?.id]);

  const discuss = useCallback((turnId: string) => doc && run(() => setFocus(doc, turnId)), [doc, run]);
  const vote = useCallback(
    (turnId: string, value: string, reason: string) =>
      doc && user && run(() => setVerdict(doc, { turnId, userId: user.id, userName: user.name, value, reason })),
    [doc, user, run],
  );
  const nextExchange = () => {
    if (!doc) return;
    const at = focusTurnId ? sections.findIndex((s) => s.turns.some((t) => t.id === focusTurnId)) : -1;
    const next = sections[at + 1];
    if (next?.turns[0]) {
      run(() => {
        setFocus(doc, next.turns[0].id);
        if (review.timer) setTimer(doc, { sectionId: next.id, seconds: review.timer.seconds });
      });
      scrollIntoViewIfNeeded(document.getElementById(next.id), 'start');
    }
  };
  const focusLabel = (() => {
    if (!focusTurnId) return null;
    const t = turnsById.get(focusTurnId);
    const sec = sectionOfTurn.get(focusTurnId);
    if (!t || !sec) return null;
    return `${sec.number ? `Exchange ${sec.number}` : sec.title} · ${t.kind} (${t.speaker})`;
  })();

  const draftTurn: Turn | undefined = draft ? turnsById.get(draft.turnId) : undefined;
  const currentSection = currentTurnId ? (sectionOfTurn.get(currentTurnId)?.id ?? null) : null;
  const place = [transcript.place, displayDate(transcript.date)].filter(Boolean).join(' · ');

  return (
    <div className="flex h-dvh flex-col">
      <header className="flex h-14 shrink-0 items-center gap-3 border-b border-[var(--border)] bg-[var(--surface)] px-3 sm:px-4">
        <Link href="/" className="rounded text-sm font-bold tracking-tight text-[var(--accent)]">
          Parley
        </Link>
        <button
          type="button"
          className="rounded-md border border-[var(--border)] px-2 py-1 text-xs font-medium lg:hidden"
          aria-expanded={navOpen}
          aria-controls="navigator-panel"
          onClick={() => setNavOpen((v) => !v)}
        >
          Contents
        </button>
        <div className="min-w-0 flex-1">
          <h1 className="truncate text-sm font-semibold" data-testid="session.title">
            {session.title}
          </h1>
          {place && <p className="truncate text-xs text-[var(--text-muted)]">{place}</p>}
        </div>
        <PresenceBar peers={peers} />
        <ConnectionPill state={collab?.connection ?? { kind: 'connecting' }} />
        {canManageLinks(role) && (
          <div className="relative">
            <button
              type="button"
              aria-expanded={shareOpen}
              data-testid="share.open"
              onClick={() => setShareOpen((v) => !v)}
              className="rounded-md border border-[var(--border)] px-2.5 py-1 text-xs font-medium hover:bg-[var(--surface-muted)]"
            >
              Share
            </button>
            {shareOpen && (
              <SharePanel
                sessionId={session.id}
                accessKey={accessKey}
                onClose={() => setShareOpen(false)}
                onOwnKeyRotated={(path) => window.location.assign(path)}
              />
            )}
          </div>
        )}
        <button
          type="button"
          onClick={() => setHelpOpen((v) => !v)}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          className="hidden h-7 w-7 items-center justify-center rounded-full border border-[var(--border)] text-xs font-semibold sm:inline-flex"
        >
          ?
        </button>
        <ExportMenu sessionId={session.id} accessKey={accessKey} canImport={canWrite} onMessage={setNotice} />
        <button
          type="button"
          className="rounded-md bg-[var(--accent)] px-2.5 py-1 text-xs font-medium text-[var(--accent-text)] lg:hidden"
          aria-expanded={paneOpen}
          aria-controls="commentary-panel"
          data-testid="pane.toggle"
          onClick={() => setPaneOpen((v) => !v)}
        >
          Comments{threads.length ? ` (${threads.length})` : ''}
        </button>
      </header>

      {!canWriteCommentary(role) && (
        <p className="border-b border-[var(--border)] bg-[var(--surface-muted)] px-4 py-2 text-sm" data-testid="readonly.notice">
          You are a {ROLE_LABELS[role].toLowerCase()} in this session: you can read everything and see others live, but not comment. Ask the
          session owner for a commenter link to take part.
        </p>
      )}
      {collab?.connection.kind === 'refused' && (
        <p role="alert" className="border-b border-red-300 bg-red-50 px-4 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100">
          {collab.connection.message}
        </p>
      )}
      {actionError && (
        <p role="alert" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {actionError}{' '}
          <button type="button" className="ml-2 underline" onClick={() => setActionError(null)}>
            Dismiss
          </button>
        </p>
      )}

      <div className="relative flex min-h-0 flex-1">
        <aside
          id="navigator-panel"
          className={`${
            navOpen ? 'absolute inset-y-0 left-0 z-30 flex w-72 shadow-xl' : 'hidden'
          } flex-col border-r border-[var(--border)] bg-[var(--surface)] lg:static lg:flex lg:w-64 lg:shadow-none`}
        >
          <SearchBox
            ref={searchRef}
            query={query}
            onQuery={(q) => {
              setQuery(q);
              setHitIndex(0);
            }}
            total={hits.length}
            index={Math.min(hitIndex, Math.max(0, hits.length - 1))}
            onStep={stepHit}
          />
          <Navigator
            sections={sections}
            counts={countsBySection}
            verdictCounts={verdictsBySection}
            disagreements={disagreementSections}
            currentSectionId={currentSection}
            discussedSectionId={focusTurnId ? (sectionOfTurn.get(focusTurnId)?.id ?? null) : null}
            onJump={jumpToSection}
          />
        </aside>

        <main
          ref={scrollRef}
          className="min-w-0 flex-1 overflow-y-auto"
          data-testid="transcript"
        >
          {doc && (
            <LeadBar
              review={review}
              meId={user?.id ?? null}
              isLead={isLead}
              canTakeLead={role === 'owner' && !!user}
              peers={peers}
              focusLabel={focusLabel}
              following={following}
              onToggleFollow={toggleFollow}
              onTakeLead={() => user && run(() => setLead(doc, { userId: user.id, name: user.name }))}
              onHandLead={(p) => run(() => setLead(doc, { userId: p.user.id, name: p.user.name }))}
              onReleaseLead={() => run(() => setLead(doc, null))}
              onNext={nextExchange}
              onStartTimer={(seconds) => {
                const sec = focusTurnId ? sectionOfTurn.get(focusTurnId) : currentTurnId ? sectionOfTurn.get(currentTurnId) : undefined;
                if (sec) run(() => setTimer(doc, { sectionId: sec.id, seconds }));
              }}
              onStopTimer={() => run(() => setTimer(doc, null))}
              onShowFocus={() => focusTurnId && scrollIntoViewIfNeeded(document.getElementById(`turn-${focusTurnId}`), 'start')}
            />
          )}
          <div className="mx-auto max-w-[52rem] px-3 pb-[45vh] pt-6 sm:px-6">
            {userChecked && !user && <NameCard onSave={(name) => setUser(saveLocalUser(name, user))} />}
            <header className="mb-6 border-b border-[var(--border)] pb-4 pl-[5.25rem] sm:pl-[6.25rem]">
              <p className="text-xs font-medium uppercase tracking-wider text-[var(--text-muted)]">{place || 'Transcript'}</p>
              <h2 className="mt-1 font-serif text-2xl font-semibold leading-snug" data-testid="transcript.title">
                {transcript.title}
              </h2>
              <p className="mt-2 text-sm text-[var(--text-muted)]">
                {transcript.speakers.map((s) => `${s.label}${s.name !== s.label ? ` (${s.name})` : ''}`).join(' · ')} ·{' '}
                {transcript.exchanges.length} {transcript.exchanges.length === 1 ? 'exchange' : 'exchanges'}
              </p>
            </header>
            {sections.map((s) => (
              <section key={s.id} id={s.id} aria-labelledby={`${s.id}-h`} className="mb-8 scroll-mt-12">
                <h2
                  id={`${s.id}-h`}
                  tabIndex={-1}
                  className="mb-1 pl-[5.25rem] text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)] sm:pl-[6.25rem]"
                >
                  {s.number ? `Exchange ${s.number} · ` : ''}
                  <span className="normal-case tracking-normal">{s.title}</span>
                </h2>
                {s.turns.map((turn) => (
                  <TurnBlock
                    key={turn.id}
                    turn={turn}
                    speaker={speakersByLabel.get(turn.speaker)}
                    spans={spansByTurn.get(turn.id) ?? EMPTY_SPANS}
                    activeSpanId={activeThreadId}
                    threadCount={threadCountByTurn.get(turn.id) ?? 0}
                    readers={readersByTurn.get(turn.id) ?? EMPTY_PEERS}
                    canComment={canWrite}
                    onComment={startTurnComment}
                    onOpenThread={openThread}
                    onShowThreads={showTurnThreads}
                    discussing={turn.id === focusTurnId}
                    onDiscuss={isLead ? discuss : undefined}
                    verdicts={verdictsByTurn.get(turn.id) ?? EMPTY_VERDICTS}
                    scale={review.scale}
                    meId={user?.id ?? null}
                    onVote={vote}
                  />
                ))}
              </section>
            ))}
          </div>
        </main>

        <aside
          id="commentary-panel"
          ref={paneRef}
          aria-label="Commentary"
          className={`${
            paneOpen ? 'absolute inset-0 z-30 flex sm:left-auto sm:w-[26rem] sm:shadow-xl' : 'hidden'
          } flex-col border-l border-[var(--border)] bg-[var(--bg)] lg:static lg:flex lg:w-[24rem] lg:shadow-none xl:w-[26rem]`}
        >
          {paneOpen && (
            <button
              type="button"
              className="m-2 self-end rounded-md border border-[var(--border)] px-2 py-1 text-xs lg:hidden"
              onClick={() => setPaneOpen(false)}
            >
              Close comments
            </button>
          )}
          <div role="tablist" aria-label="Right pane" className="flex gap-1 border-b border-[var(--border)] px-3 pt-2">
            {(['commentary', 'brief', 'codebook', 'history'] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`tab-${t}`}
                aria-selected={tab === t}
                aria-controls={`panel-${t}`}
                data-testid={`tab.${t}`}
                onClick={() => setTab(t)}
                className={`-mb-px rounded-t-md border px-2.5 py-1.5 text-sm ${
                  tab === t
                    ? 'border-[var(--border)] border-b-[var(--bg)] bg-[var(--bg)] font-semibold text-[var(--text)]'
                    : 'border-transparent text-[var(--text-muted)] hover:text-[var(--text)]'
                }`}
              >
                {t === 'commentary' ? `Commentary${threads.length ? ` (${threads.length})` : ''}` : t === 'brief' ? 'Brief' : t === 'codebook' ? 'Codebook' : 'History'}
              </button>
            ))}
          </div>
          {notice && (
            <p role="status" className="flex items-center gap-2 border-b border-[var(--border)] bg-[var(--surface)] px-4 py-1.5 text-xs" data-testid="notice">
              {notice}
              {tab !== 'brief' && (
                <button type="button" className="font-medium text-[var(--accent)] underline" onClick={() => setTab('brief')}>
                  Open the brief
                </button>
              )}
            </p>
          )}
          <TabPanel name="commentary" current={tab}>
            <CommentaryPane
              threads={threads}
              visible={visibleThreads}
              filterBar={
                <FilterBar
                  filter={filter}
                  onFilter={setFilter}
                  options={filterOptions}
                  lastVisit={lastVisit}
                  me={me}
                  newCount={newCount}
                  mentionCount={mentionCount}
                />
              }
              draft={draft}
              draftLabel={
                draftTurn
                  ? `${draft?.target ? 'On a passage of' : 'On the whole'} ${draftTurn.kind} by ${
                      speakersByLabel.get(draftTurn.speaker)?.name ?? draftTurn.speaker
                    }`
                  : ''
              }
              onPost={postDraft}
              onCancelDraft={() => setDraft(null)}
              describe={describe}
              meId={user?.id ?? null}
              canWrite={canWrite}
              activeThreadId={activeThreadId}
              flashing={flashing}
              actions={actions}
              undo={undo}
              mentionNames={mentionNames}
              tagSuggestions={tagSuggestions}
              replyRequest={replyRequest}
            />
          </TabPanel>
          <TabPanel name="codebook" current={tab}>
            {tab === 'codebook' && doc && (
              <CodebookPanel
                codes={codes}
                usage={tagUsage}
                canEdit={canEditBrief}
                colorByTag={colorByTag}
                onColorByTag={setColorByTag}
                onAdd={(name, description) => run(() => addCode(doc, { name, description }))}
                onRename={(from, to) => run(() => renameCode(doc, from, to))}
                onMerge={(from, into) => run(() => mergeCodes(doc, from, into))}
                onRetire={(name, retired) => run(() => setCodeRetired(doc, name, retired))}
                onDescribe={(name, d) => run(() => describeCode(doc, name, d))}
                scale={review.scale}
                onScale={role === 'owner' ? (values) => run(() => setVerdictScale(doc, values)) : undefined}
              />
            )}
          </TabPanel>
          <TabPanel name="history" current={tab}>
            {tab === 'history' && (
              <HistoryPanel
                sessionId={session.id}
                accessKey={accessKey}
                comments={comments}
                canSnapshot={canWrite}
                canRestore={canEditBrief && !!doc}
                describeTurn={(turnId) => {
                  const t = turnsById.get(turnId);
                  const sec = sectionOfTurn.get(turnId);
                  return t ? `${sec?.number ? `Exchange ${sec.number}` : (sec?.title ?? '')} · ${t.kind} (${t.speaker})` : 'A turn not in this transcript';
                }}
                onRestore={(list) =>
                  doc &&
                  run(() => {
                    const written = importCommentary(doc, { comments: list, verdicts: [] });
                    setNotice(written.comments.length ? 'Restored from the snapshot.' : 'Nothing to restore: it is already back.');
                  })
                }
              />
            )}
          </TabPanel>
          {/* The editor stays mounted while hidden, so "Add to brief" goes through it (undoable). */}
          <TabPanel name="brief" current={tab}>
            {brief?.ready ? (
              <BriefEditor
                doc={brief.doc}
                provider={brief.provider}
                user={user}
                editable={canEditBrief}
                transcript={transcript}
                onOpenQuote={openQuote}
                onEditor={onBriefEditor}
                onDraft={draftBrief}
              />
            ) : (
              <p className="p-4 text-sm text-[var(--text-muted)]">{brief?.connection.kind === 'refused' ? brief.connection.message : 'Opening the brief…'}</p>
            )}
          </TabPanel>
        </aside>
      </div>

      {helpOpen && <KeyboardHelp onClose={() => setHelpOpen(false)} />}
      {selection && canWrite && (
        <SelectionMenu
          selection={selection}
          onComment={commentOnSelection}
          onHighlight={highlightSelection}
          onAddToBrief={canEditBrief ? selectionToBrief : undefined}
        />
      )}
    </div>
  );
}
