import { describe, expect, it } from 'vitest';
import { readPeer, uniquePeers } from '../../../../lib/presence/awareness';
import { AUTHOR_COLORS, colorForUser, initials } from '../../../../lib/presence/palette';

describe('presence', () => {
  it('accepts a well-formed state and cleans the name', () => {
    const p = readPeer(7, { user: { id: 'u1', name: '  Ana   Ruiz ', color: AUTHOR_COLORS[0] }, turnId: 't3', typing: true }, 1);
    expect(p).toEqual({ clientId: 7, isSelf: false, user: { id: 'u1', name: 'Ana Ruiz', color: AUTHOR_COLORS[0] }, turnId: 't3', typing: true, following: false });
  });

  it('rejects malformed states and replaces colours it does not hand out', () => {
    expect(readPeer(1, null, 0)).toBeNull();
    expect(readPeer(1, { user: { id: 5, name: 'x' } }, 0)).toBeNull();
    expect(readPeer(1, { user: { id: 'u', name: '   ' } }, 0)).toBeNull();
    expect(readPeer(1, { user: { id: 'u', name: 'Eve', color: 'url(javascript:alert(1))' } }, 0)?.user.color).toBe('#44677A');
  });

  it('shows an analyst with two tabs once, preferring this tab', () => {
    const a = readPeer(1, { user: { id: 'u1', name: 'Ana' } }, 2)!;
    const b = readPeer(2, { user: { id: 'u1', name: 'Ana' } }, 2)!;
    const c = readPeer(3, { user: { id: 'u2', name: 'Ben' } }, 2)!;
    const list = uniquePeers([a, b, c]);
    expect(list.map((p) => p.clientId)).toEqual([2, 3]);
  });

  it('gives a user a stable palette colour and initials', () => {
    expect(colorForUser('u1')).toBe(colorForUser('u1'));
    expect(AUTHOR_COLORS).toContain(colorForUser('someone'));
    expect(initials('Ana María Ruiz')).toBe('AR');
    expect(initials('Ben')).toBe('B');
    expect(initials('  ')).toBe('?');
  });
});
