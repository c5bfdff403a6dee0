import { describe, expect, it } from 'vitest';
import { CloseCode, closeMessage, isFatalCloseCode } from '../../../../lib/collab/close-codes';
import { canManageLinks, canWriteBrief, canWriteCommentary, isRole, ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES } from '../../../../lib/collab/roles';

describe('close codes', () => {
  it('are fatal for refusals and transient for what passes', () => {
    const fatal = [CloseCode.BadMessage, CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound, CloseCode.LinkRotated, CloseCode.MessageTooLarge];
    const transient = [
      CloseCode.Normal,
      CloseCode.GoingAway,
      1006,
      CloseCode.ServerError,
      CloseCode.ServerRestarting,
      CloseCode.TooManyMessages,
      CloseCode.TooManyAwarenessUpdates,
      CloseCode.RoomFull,
      CloseCode.SlowConnection,
    ];
    for (const code of fatal) expect(isFatalCloseCode(code), String(code)).toBe(true);
    for (const code of transient) expect(isFatalCloseCode(code), String(code)).toBe(false);
  });

  it('have distinct numbers and a plain sentence each', () => {
    const codes = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
    const fallback = closeMessage(4999);
    for (const code of codes) {
      expect(closeMessage(code)).not.toBe(fallback);
      expect(closeMessage(code)).toMatch(/^[A-Z].*[.…]$/);
    }
    expect(closeMessage(CloseCode.LinkRotated)).toMatch(/replaced.*ask the owner for the new link/i);
  });
});

describe('roles', () => {
  it('let commenters write the commentary but not the brief, viewers nothing, and only owners manage links', () => {
    expect(ROLES.filter(canWriteCommentary)).toEqual(['owner', 'editor', 'commenter']);
    expect(ROLES.filter(canWriteBrief)).toEqual(['owner', 'editor']);
    expect(ROLES.filter(canManageLinks)).toEqual(['owner']);
    for (const role of ROLES) {
      expect(ROLE_LABELS[role]).toBeTruthy();
      expect(ROLE_DESCRIPTIONS[role]).toMatch(/\.$/);
    }
    expect(isRole('viewer')).toBe(true);
    expect(isRole('admin')).toBe(false);
  });
});
