import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sessionToHtml, escapeHtml } from '../../../../lib/export/html';
import { briefToMarkdown, sessionToMarkdown } from '../../../../lib/export/markdown';
import { ANA_BODY, FORMULA_BODY, JOSE_BODY, REPLY_BODY, SESSION_URL, seedSession } from './session-fixture';

describe('Markdown export', () => {
  const { input } = seedSession();
  const md = sessionToMarkdown(input);

  it('puts the brief first, then the appendix of comments', () => {
    expect(md.startsWith('# Review: UN reform and Syria\n')).toBe(true);
    expect(md).toContain('Moscow, Russian Federation · 2018-06-21');
    const brief = md.indexOf('## Key findings');
    const appendix = md.indexOf('## Appendix: comments');
    expect(brief).toBeGreaterThan(0);
    expect(appendix).toBeGreaterThan(brief);
    expect(md.indexOf('### Exchange 2: UN reform')).toBeGreaterThan(appendix);
  });

  it('renders the brief’s formatting, lists, quotes and a link back from each passage quote', () => {
    expect(md).toContain('The Secretary-General was **careful** not to criticise the *United States* directly');
    expect(md).toContain('[UN transcript](<https://www.un.org/sg/en/content/sg/press-encounter/2018-06-21>)');
    expect(md).toContain('- Human Rights Council: regret, no criticism');
    expect(md).toContain('- UN reform: ***Secretariat only***');
    expect(md).toContain('  1. Security Council decisions');
    expect(md).toContain('> Our role is very simple: It is to serve.');
    expect(md).toContain(
      `> “the reform of the structure of the Secretariat” — Secretary-General, Exchange 2 [↗](<${SESSION_URL}#turn-t5>)`,
    );
    expect(md).toContain('1. Follow up with José Álvarez on “reform”');
    expect(md).toContain('2. Check the `Pinheiro` report');
    expect(md).toContain('First line\\\n~~second line~~');
    expect(md).toContain('```\nverdict: evasive\nconfidence: 0.7\n```');
  });

  it('keeps the comment listing: every comment, reply, quote, author and tag', () => {
    for (const body of [ANA_BODY, REPLY_BODY, 'Opens by pointing back to his earlier statement.']) expect(md).toContain(body);
    // User text is escaped, so Markdown renders it literally.
    expect(md).toContain('He calls it “reform” — but only of the Secretariat. \\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('“human rights architecture is a key tool” — Secretary-General, answer');
    expect(md).toContain('**Ana Ruiz**');
    expect(md).toContain('**José Álvarez**');
    expect(md).toContain('`reform`');
    expect(md).toContain('`chemical weapons`');
    expect(md).toContain('**José Álvarez** commented (resolved)');
    expect(md).toContain('**Ana Ruiz** highlighted');
    expect(md).toContain('Verdicts: consistent 1 · evasive 1');
  });

  it('still works for callers that pass no brief', () => {
    const { brief: _brief, ...rest } = input;
    const plain = sessionToMarkdown(rest);
    expect(plain).not.toContain('Key findings');
    expect(plain).toContain('## Appendix: comments');
    expect(plain).toContain(ANA_BODY);
  });

  it('keeps emphasis delimiters against the words they mark', () => {
    expect(briefToMarkdown([{ type: 'paragraph', content: [{ text: 'a ' }, { text: ' bold ', bold: true }, { text: 'b' }] }])).toBe(
      'a  **bold** b',
    );
    expect(briefToMarkdown([{ type: 'paragraph', content: [{ text: 'x', bold: true }, { text: 'y', bold: true, italic: true }] }])).toBe(
      '**x*y***',
    );
    expect(briefToMarkdown([{ type: 'paragraph', content: [{ text: 'a`b', code: true }] }])).toBe('``a`b``');
    expect(briefToMarkdown([{ type: 'paragraph', content: [{ text: 'evil', href: 'javascript:alert(1)' }] }])).toBe('evil');
  });
});

describe('HTML export', () => {
  const { input } = seedSession();
  const html = sessionToHtml(input);
  // Set PARLEY_EXPORT_DIR to keep the page for a look in a browser.
  if (process.env.PARLEY_EXPORT_DIR) fs.writeFileSync(`${process.env.PARLEY_EXPORT_DIR}/session.html`, html);

  it('is a standalone page: charset, language, title, its own print CSS and no scripts', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Review: UN reform and Syria</title>');
    expect(html).toContain('@media print');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toMatch(/<link\b|src=/);
  });

  it('escapes every user string', () => {
    expect(html).toContain(escapeHtml(JOSE_BODY));
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(escapeHtml(FORMULA_BODY));
  });

  it('holds the brief and every quote and comment', () => {
    expect(html).toContain('<h2>Key findings</h2>');
    expect(html).toContain('<strong>careful</strong>');
    expect(html).toContain('<em>United States</em>');
    expect(html).toContain('<a href="https://www.un.org/sg/en/content/sg/press-encounter/2018-06-21">UN transcript</a>');
    expect(html).toMatch(/<ul><li><p>Human Rights Council/);
    expect(html).toMatch(/<ol><li><p>Security Council decisions/);
    expect(html).toContain('<blockquote><p>Our role is very simple: It is to serve.</p></blockquote>');
    expect(html).toContain(`<a href="${SESSION_URL}#turn-t5"`);
    expect(html).toContain('— Secretary-General, Exchange 2');
    expect(html).toContain('<s>second line</s>');
    expect(html).toContain('<h2>Appendix: comments</h2>');
    for (const text of [
      ANA_BODY,
      REPLY_BODY,
      'human rights architecture is a key tool',
      'the reform of the structure of the Secretariat',
      'attribution mechanism',
      'Ana Ruiz',
      'José Álvarez',
    ]) {
      expect(html).toContain(escapeHtml(text));
    }
    expect(html).toContain('<span class="tag">human rights</span>');
    expect(html).toContain('border-left-color: #c0392b');
  });

  it('refuses an author colour that could break out of the style attribute', () => {
    const bad = sessionToHtml({
      ...input,
      comments: input.comments.map((c) => ({ ...c, author: { ...c.author, color: 'red;background:url(x)' } })),
    });
    expect(bad).not.toContain('url(x)');
  });
});
