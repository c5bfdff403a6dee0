import { describe, expect, it } from 'vitest';
import { cleanDisplayName, cleanUserId, contentSecurityPolicy } from '../../../server/http-server';
import { accessKey } from '../../../server/api/respond';

describe('the HTTP and websocket edge', () => {
  it('builds the Content Security Policy with the nonce, and eval only in development', () => {
    const csp = contentSecurityPolicy('abc123==', false);
    expect(csp).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc123==' 'strict-dynamic'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; " +
        "base-uri 'self'; form-action 'self'; object-src 'none'",
    );
    expect(contentSecurityPolicy('n', true)).toContain("'strict-dynamic' 'unsafe-eval';");
  });

  it('cleans the display name and user id a websocket URL carries', () => {
    expect(cleanDisplayName('  Ana \n\t Ruiz ')).toBe('Ana Ruiz');
    expect(cleanDisplayName('Eve\u202e\u0000gnp.exe')).toBe('Evegnp.exe');
    expect(cleanDisplayName('😀'.repeat(80))).toBe('😀'.repeat(60));
    expect(cleanDisplayName(null)).toBe('Guest');
    expect(cleanDisplayName('   ')).toBe('Guest');
    expect(cleanUserId('u_abc-123')).toBe('u_abc-123');
    expect(cleanUserId('<script>')).toBeNull();
    expect(cleanUserId('x'.repeat(65))).toBeNull();
    expect(cleanUserId(null)).toBeNull();
  });

  it('takes the session key from a Bearer header first, then from ?key=', () => {
    expect(accessKey(new Request('http://x/api?key=fromquery'))).toBe('fromquery');
    expect(accessKey(new Request('http://x/api?key=fromquery', { headers: { authorization: 'Bearer fromheader' } }))).toBe('fromheader');
    expect(accessKey(new Request('http://x/api', { headers: { authorization: 'Basic abc' } }))).toBeNull();
    expect(accessKey(new Request('http://x/api?key='))).toBeNull();
  });
});
