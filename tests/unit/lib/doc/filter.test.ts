import { describe, expect, it } from 'vitest';
import type { Comment, Thread } from '../../../../lib/doc/commentary';
import { filterThreads, mentions, NO_FILTER, splitMentions } from '../../../../lib/doc/filter';

const ana = { id: 'ana', name: 'Ana Ruiz', color: '#0072B2' };
const ben = { id: 'ben', name: 'Ben Okafor', color: '#B34700' };
function c(id: string, over: Partial<Comment>): Comment {
  return { id, parentId: null, turnId: 't3', target: null, motivation: 'commenting', body: '', tags: [], author: ana, createdAt: 1, updatedAt: 1, status: 'open', resolvedBy: null, ...over };
}
const threads: Thread[] = [
  { root: c('a', { body: 'On reform', tags: ['reform'], turnId: 't3' }), replies: [c('a1', { parentId: 'a', author: ben, body: '@Ana agreed', createdAt: 50 })] },
  { root: c('b', { body: 'Resolved one', status: 'resolved', turnId: 't5', author: ben, createdAt: 5 }), replies: [] },
  { root: c('c', { body: 'Nobody else', turnId: 't7', tags: ['Syria'], createdAt: 60 }), replies: [] },
];
const ctx = {
  sectionOfTurn: (id: string) => ({ t3: 'exchange-1', t5: 'exchange-2', t7: 'exchange-3' })[id] ?? null,
  verdicts: [{ turnId: 't5', userId: 'ben', userName: 'Ben', value: 'evasive', reason: '', at: 1 }],
  meId: 'ana',
};
const ids = (f: Partial<typeof NO_FILTER>) => filterThreads(threads, { ...NO_FILTER, ...f }, ctx).map((t) => t.root.id);

describe('commentary filters', () => {
  it('filters by status, author (root or reply), tag, exchange and verdict', () => {
    expect(ids({})).toEqual(['a', 'b', 'c']);
    expect(ids({ status: 'open' })).toEqual(['a', 'c']);
    expect(ids({ status: 'resolved' })).toEqual(['b']);
    expect(ids({ authorId: 'ben' })).toEqual(['a', 'b']);
    expect(ids({ tag: 'syria' })).toEqual(['c']);
    expect(ids({ sectionId: 'exchange-2' })).toEqual(['b']);
    expect(ids({ verdict: 'evasive' })).toEqual(['b']);
    expect(ids({ status: 'open', authorId: 'ana', tag: 'reform' })).toEqual(['a']);
  });

  it('finds threads new since a visit, by others, and threads that mention me', () => {
    const me = { id: 'ana', name: 'Ana Ruiz' };
    // Only a: c is new but Ana wrote it herself.
    expect(ids({ newSince: 10 })).toEqual(['a']);
    expect(ids({ mentioning: me })).toEqual(['a']);
  });

  it('recognises mentions by full name, first name or joined name, not inside words or e-mail addresses', () => {
    expect(mentions('thanks @Ana Ruiz!', 'Ana Ruiz')).toBe(true);
    expect(mentions('@ana see this', 'Ana Ruiz')).toBe(true);
    expect(mentions('cc @AnaRuiz', 'Ana Ruiz')).toBe(true);
    expect(mentions('mail ana@example.org', 'Ana Ruiz')).toBe(false);
    expect(mentions('@Anabel', 'Ana Ruiz')).toBe(false);
    expect(mentions('no mention', 'Ana Ruiz')).toBe(false);
  });

  it('splits a body into text and mentions for display', () => {
    expect(splitMentions('Hi @Ben Okafor and @Ana.', ['Ana Ruiz', 'Ben Okafor'])).toEqual([
      { text: 'Hi ', mention: false },
      { text: '@Ben Okafor', mention: true },
      { text: ' and ', mention: false },
      { text: '@Ana', mention: true },
      { text: '.', mention: false },
    ]);
  });
});
