import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../server/api/errors';
import { EXPORT_FORMATS, exportSession, importSessionAnnotations } from '../../../../server/api/handlers';
import { RoomManager } from '../../../../server/collab/room-manager';
import type { Config } from '../../../../server/config';
import type { Services } from '../../../../server/services';
import { SqliteStore } from '../../../../server/store/sqlite';
import { briefRoom, readBrief, writeBriefBlocks } from '../../../../lib/doc/brief';
import { importCommentary, listComments, listVerdicts } from '../../../../lib/doc/commentary';
import { seedSession } from '../../lib/export/session-fixture';

/**
 * The export and import handlers against a real SQLite store and room manager:
 * every format comes out with its content type, and an import reaches the
 * store (it is there after a restart) or, on bad input, changes nothing.
 */
describe('export and import handlers', () => {
  let dir: string;
  let store: SqliteStore;
  let services: Services;
  const seeded = seedSession();

  const open = () => {
    store = SqliteStore.open(dir);
    // The handlers under test use the store and the rooms only; the rest of Services is not needed here.
    services = { store, rooms: new RoomManager(store, { idleUnloadMs: 20 }), config: {} as Config, startedAt: Date.now() } as unknown as Services;
  };
  const close = async () => {
    await services.rooms.close();
    await store.close();
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-export-'));
    open();
  });
  afterEach(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function newSession(title: string): Promise<string> {
    const transcripts = await store.listTranscripts();
    // A fixed id: a random one may start with "-", which the store refuses (reported to the lead).
    const t = transcripts[0] ?? (await store.addTranscript({ id: 'un-sample', transcript: seeded.transcript, source: 'sample' }));
    return (await store.addSession({ transcriptId: t.id, title })).id;
  }

  it('exports every format with its content type and file name', async () => {
    const id = await newSession('Review: UN reform and Syria');
    await services.rooms.withRoom(id, (room) => {
      importCommentary(room.doc, { comments: seeded.input.comments, verdicts: seeded.input.verdicts });
    });
    await services.rooms.withRoom(briefRoom(id), (room) => writeBriefBlocks(room.doc, seeded.brief));

    const expected: Record<string, string> = {
      md: 'text/markdown; charset=utf-8',
      html: 'text/html; charset=utf-8',
      docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      pdf: 'application/pdf',
      csv: 'text/csv; charset=utf-8',
      jsonld: 'application/ld+json; charset=utf-8',
    };
    expect([...EXPORT_FORMATS]).toEqual(Object.keys(expected));
    for (const format of EXPORT_FORMATS) {
      const file = await exportSession(services, id, format, 'https://parley.example.org');
      expect(file.contentType).toBe(expected[format]);
      expect(file.fileName).toBe(`review-un-reform-and-syria-2018-06-21.${format}`);
      expect(file.body.length).toBeGreaterThan(500);
    }
    const md = (await exportSession(services, id, 'md')).body as string;
    expect(md).toContain('## Key findings');
    expect(md).toContain('## Appendix: comments');
    const jsonld = JSON.parse((await exportSession(services, id, 'jsonld', 'https://parley.example.org')).body as string);
    expect(jsonld.total).toBe(seeded.input.comments.length + seeded.input.verdicts.length);
    expect(jsonld.first.items[0].id).toMatch(new RegExp(`^https://parley.example.org/api/sessions/${id}/annotations/`));

    await expect(exportSession(services, id, 'rtf')).rejects.toThrow(/Available: md, html, docx, pdf, csv, jsonld/);
  });

  it('imports into the live document, persists it, and skips what the session already has', async () => {
    const from = await newSession('Source');
    await services.rooms.withRoom(from, (room) => {
      importCommentary(room.doc, { comments: seeded.input.comments, verdicts: seeded.input.verdicts });
    });
    const raw = (await exportSession(services, from, 'jsonld', 'https://a.example')).body as string;

    const to = await newSession('Target');
    const result = await importSessionAnnotations(services, to, raw);
    expect(result).toEqual({ imported: { comments: 4, replies: 2, highlights: 1, verdicts: 3 }, skipped: 0 });
    expect(await importSessionAnnotations(services, to, raw)).toEqual({
      imported: { comments: 0, replies: 0, highlights: 0, verdicts: 0 },
      skipped: 10,
    });

    // A restart: the import must be in the store, not only in memory.
    await close();
    open();
    const doc = await services.rooms.readDocument(to);
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(listComments(doc).sort(byId)).toEqual([...seeded.input.comments].sort(byId));
    expect(listVerdicts(doc)).toHaveLength(3);
  });

  it('answers 400 for bad input and changes nothing', async () => {
    const id = await newSession('Target');
    const bad = async (raw: string, message: RegExp) => {
      const err = await importSessionAnnotations(services, id, raw).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).message).toMatch(message);
    };
    await bad('', /empty/);
    await bad('{not json', /not valid JSON/);
    await bad('{"type": "Annotation"}', /not a W3C Web Annotation collection/);

    // One good annotation and one on a turn the transcript lacks: neither is applied.
    const seededDoc = JSON.parse(
      (
        await (async () => {
          const src = await newSession('Source');
          await services.rooms.withRoom(src, (room) => importCommentary(room.doc, { comments: seeded.input.comments.slice(0, 2), verdicts: [] }));
          return exportSession(services, src, 'jsonld');
        })()
      ).body as string,
    );
    seededDoc.first.items[1].target.source = seededDoc.first.items[1].target.source.replace(/#t\d+$/, '#t404');
    await bad(JSON.stringify(seededDoc), /turn "t404", which this transcript does not have/);
    expect(listComments(await services.rooms.readDocument(id))).toEqual([]);

    await expect(importSessionAnnotations(services, 'no-such-session', '{}')).rejects.toMatchObject({ status: 404 });
  });

  it('reads the brief of a session nobody has open', async () => {
    const id = await newSession('Brief only');
    await services.rooms.withRoom(briefRoom(id), (room) => writeBriefBlocks(room.doc, seeded.brief));
    await close();
    open();
    expect(readBrief(await services.rooms.readDocument(briefRoom(id)))).toEqual(seeded.brief);
    const html = (await exportSession(services, id, 'html')).body as string;
    expect(html).toContain('<h2>Key findings</h2>');
  });
});
