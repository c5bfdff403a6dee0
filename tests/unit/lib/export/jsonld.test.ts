import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importCommentary, listComments, listVerdicts, type Comment } from '../../../../lib/doc/commentary';
import { AnnotationImportError, importAnnotations, importCounts } from '../../../../lib/export/jsonld-import';
import { sessionToJsonLd, type Annotation, type AnnotationCollection } from '../../../../lib/export/jsonld';
import { parseTranscript } from '../../../../lib/transcript/parse';
import { ANA, JOSE_BODY, seedSession } from './session-fixture';
import { FIXTURES, failures, loadAssertions } from './w3c-validator';

const OPTIONS = { sessionId: 's_demo', transcriptId: 'tr_un_2018', origin: 'https://parley.example.org' };

const byId = (a: Comment, b: Comment) => a.id.localeCompare(b.id);

describe('W3C Web Annotation JSON-LD export', () => {
  const { input, ids } = seedSession();
  const collection = sessionToJsonLd(input, OPTIONS);
  const items = collection.first.items;
  const find = (commentId: string) => items.find((a) => a.id.endsWith(`/${commentId}`))!;

  it('keeps the fixture’s licence and provenance next to the schemas', () => {
    expect(fs.existsSync(path.join(FIXTURES, 'LICENSE.md'))).toBe(true);
    expect(fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8')).toContain('web-annotation-tests');
  });

  it('is an AnnotationCollection with one embedded page', () => {
    expect(collection['@context'][0]).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(collection).toMatchObject({
      id: 'https://parley.example.org/api/sessions/s_demo/annotations',
      type: 'AnnotationCollection',
      label: 'Review: UN reform and Syria',
      total: input.comments.length + input.verdicts.length,
    });
    expect(collection.first).toMatchObject({ type: 'AnnotationPage', startIndex: 0 });
    expect(items).toHaveLength(collection.total);
  });

  it('passes every MUST of the W3C test suite: each annotation, the collection and its page', () => {
    const annotationMusts = loadAssertions('annotations/annotationMusts.test');
    expect(annotationMusts.length).toBeGreaterThan(50);
    for (const item of items) {
      // An annotation inside a collection inherits the collection's @context; served alone it carries it.
      const alone = { '@context': collection['@context'], ...item };
      expect(failures(annotationMusts, alone), item.id).toEqual([]);
    }
    expect(failures(loadAssertions('collections/collectionMusts.test'), collection)).toEqual([]);
    const page = { '@context': collection['@context'], ...collection.first };
    expect(failures(loadAssertions('collections/pages/pageMusts.test'), page)).toEqual([]);
  });

  it('the validator does catch a broken annotation', () => {
    const musts = loadAssertions('annotations/annotationMusts.test');
    const broken = { '@context': 'https://www.w3.org/ns/anno.jsonld', id: 'not a uri', type: 'Note', created: 'yesterday' };
    const failed = failures(musts, broken).map((f) => f.split(':')[0]);
    expect(failed).toEqual(
      expect.arrayContaining([
        'annotations/3.1-annotationContextValidated.json',
        'annotations/3.1-annotationIdValidated.json',
        'annotations/3.1-annotationTypeValidated.json',
        'annotations/3.1-targetKeyFound.json',
        'annotations/3.3.1-annotationCreatedValidated.json',
      ]),
    );
    const item = { '@context': collection['@context'], ...find(ids.ana) };
    const noExact = JSON.parse(JSON.stringify(item)) as { target: { selector: { exact?: string }[] } };
    delete noExact.target.selector[0].exact;
    expect(failures(musts, noExact).map((f) => f.split(':')[0])).toContain('annotations/specificResource/4.2.4-textQuoteSelectorValid.json');
    expect(failures(musts, { ...item, bodyValue: 'both' }).map((f) => f.split(':')[0])).toEqual(['annotations/3.2.5-notBodyBodyValue.json']);
  });

  it('maps a passage comment to text quote and position selectors, with body and tags', () => {
    const a = find(ids.ana);
    expect(a).toMatchObject({
      type: 'Annotation',
      motivation: 'commenting',
      created: '2018-06-21T10:00:00.000Z',
      creator: { id: 'urn:parley:user:u-ana', type: 'Person', name: 'Ana Ruiz' },
      body: [
        { type: 'TextualBody', purpose: 'commenting', value: 'A defence of the Council without criticising the US.', format: 'text/plain' },
        { type: 'TextualBody', purpose: 'tagging', value: 'human rights' },
        { type: 'TextualBody', purpose: 'tagging', value: 'US' },
      ],
      'parley:status': 'open',
    });
    const target = a.target as Exclude<Annotation['target'], string>;
    expect(target.source).toBe('https://parley.example.org/api/transcripts/tr_un_2018#t3');
    expect(target.selector[0]).toMatchObject({ type: 'TextQuoteSelector', exact: 'human rights architecture is a key tool' });
    expect(target.selector[1]).toMatchObject({ type: 'TextPositionSelector' });
  });

  it('maps replies, highlights, whole-turn comments and verdicts', () => {
    expect(find(ids.reply)).toMatchObject({ motivation: 'replying', target: find(ids.ana).id });
    expect(find(ids.highlight)).toMatchObject({ motivation: 'highlighting', body: [{ purpose: 'tagging', value: 'chemical weapons' }] });
    expect(find(ids.opening)).toMatchObject({
      target: 'https://parley.example.org/api/transcripts/tr_un_2018#t1',
      'parley:status': 'resolved',
      'parley:resolvedBy': 'urn:parley:user:u-ana',
    });
    expect(find(ids.jose).body![0].value).toBe(JOSE_BODY);
    const verdict = items.find((a) => a.motivation === 'assessing' && a.creator.id === 'urn:parley:user:u-ana')!;
    expect(verdict).toMatchObject({
      target: 'https://parley.example.org/api/transcripts/tr_un_2018#t3',
      body: [
        { type: 'TextualBody', purpose: 'assessing', value: 'consistent' },
        { type: 'TextualBody', purpose: 'commenting', value: 'Same line as on the 19th.' },
      ],
    });
  });

  it('uses URNs when there is no origin', () => {
    const c = sessionToJsonLd(input, { sessionId: 's_demo', transcriptId: 'tr_un_2018' });
    expect(c.id).toBe('urn:parley:session:s_demo:annotations');
    expect(c.first.items[0].id).toMatch(/^urn:parley:session:s_demo:annotations:/);
    const musts = loadAssertions('annotations/annotationMusts.test');
    for (const item of c.first.items) expect(failures(musts, { '@context': c['@context'], ...item })).toEqual([]);
  });

  it('round-trips: export → import → export gives back every field', () => {
    const json = JSON.parse(JSON.stringify(collection)) as unknown;
    const imported = importAnnotations(json, input.transcript);
    expect([...imported.comments].sort(byId)).toEqual([...input.comments].sort(byId));
    const key = (v: { turnId: string; userId: string }) => `${v.turnId}|${v.userId}`;
    expect([...imported.verdicts].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      [...input.verdicts].sort((a, b) => key(a).localeCompare(key(b))),
    );
    expect(importCounts(imported)).toEqual({ comments: 4, replies: 2, highlights: 1, verdicts: 3 });

    // Into a fresh session doc through the accessors, then out again.
    const doc = new Y.Doc();
    importCommentary(doc, imported);
    const again = sessionToJsonLd({ ...input, comments: listComments(doc), verdicts: listVerdicts(doc) }, OPTIONS);
    expect(again).toEqual(collection);
  });

  it('round-trips offsets counted in code points past astral characters', () => {
    const transcript = parseTranscript('Title\n\nSG: 😀 Hello 𝒳 world, and more 😀 words here.\n');
    const turn = transcript.turns[0];
    const start = turn.text.indexOf('world');
    const comment: Comment = {
      id: 'c_astral',
      parentId: null,
      turnId: turn.id,
      target: { start, end: start + 'world'.length, exact: 'world', prefix: turn.text.slice(0, start), suffix: turn.text.slice(start + 5) },
      motivation: 'commenting',
      body: 'after an emoji',
      tags: [],
      author: ANA,
      createdAt: 1,
      updatedAt: 2,
      status: 'open',
      resolvedBy: null,
    };
    const out = sessionToJsonLd({ sessionTitle: 'x', transcript, comments: [comment], verdicts: [] }, OPTIONS);
    const position = (out.first.items[0].target as { selector: { type: string; start?: number }[] }).selector[1];
    // 😀 is two UTF-16 units but one code point, and so is 𝒳.
    expect(position.start).toBe(start - 2);
    expect(importAnnotations(out, transcript).comments).toEqual([comment]);
  });
});

describe('JSON-LD import errors', () => {
  const { input } = seedSession();
  const good = () => JSON.parse(JSON.stringify(sessionToJsonLd(input, OPTIONS))) as AnnotationCollection;
  const problemsOf = (value: unknown): string[] => {
    try {
      importAnnotations(value, input.transcript);
    } catch (err) {
      expect(err).toBeInstanceOf(AnnotationImportError);
      return (err as AnnotationImportError).problems;
    }
    throw new Error('expected the import to fail');
  };

  it('refuses what is not a collection', () => {
    expect(problemsOf(null)[0]).toMatch(/not a W3C Web Annotation collection/);
    expect(problemsOf([])[0]).toMatch(/not a W3C Web Annotation collection/);
    expect(problemsOf({ type: 'Annotation' })[0]).toMatch(/not a W3C Web Annotation collection/);
    expect(problemsOf({ ...good(), first: 'https://x.org/page1' })[0]).toMatch(/by IRI/);
  });

  it('names a missing target, an unknown turn and a passage that is not in its turn', () => {
    const c = good();
    delete (c.first.items[0] as Partial<Annotation>).target;
    const t = c.first.items[1].target as { source: string };
    if (typeof t === 'object') t.source = t.source.replace(/#t\d+$/, '#t99');
    else c.first.items[1].target = 'https://parley.example.org/api/transcripts/tr_un_2018#t99';
    const problems = problemsOf(c);
    expect(problems.some((p) => /Annotation 1 .*has no "target"/.test(p))).toBe(true);
    expect(problems.some((p) => /Annotation 2 .*turn "t99", which this transcript does not have/.test(p))).toBe(true);

    const moved = good();
    const quoted = moved.first.items.find((a) => typeof a.target === 'object')!;
    (quoted.target as { selector: { exact?: string }[] }).selector[0].exact = 'words nobody said';
    expect(problemsOf(moved).join(' ')).toMatch(/"words nobody said" are not in turn/);
  });

  it('refuses a reply to an annotation the file does not have, and a truncated file', () => {
    const c = good();
    const reply = c.first.items.find((a) => a.motivation === 'replying')!;
    reply.target = 'https://parley.example.org/api/sessions/s_demo/annotations/c_gone';
    expect(problemsOf(c).join(' ')).toMatch(/reply to an annotation that is not in this file/);

    const cut = good();
    cut.first.items.pop();
    expect(problemsOf(cut).join(' ')).toMatch(/says it holds 10 annotations but has 9/);
  });

  it('reports every problem at once, and the message is readable', () => {
    const c = good();
    c.first.items[0].created = 'last Tuesday';
    (c.first.items[2] as { type: string }).type = 'Note';
    try {
      importAnnotations(c, input.transcript);
      throw new Error('expected failure');
    } catch (err) {
      const e = err as AnnotationImportError;
      expect(e.problems).toHaveLength(2);
      expect(e.message).toMatch(/^The annotations cannot be imported: /);
    }
  });
});
