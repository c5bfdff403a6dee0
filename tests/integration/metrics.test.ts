import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode } from '../../lib/collab/close-codes';
import * as exportRoute from '../../app/api/sessions/[id]/export/route';
import * as rotateRoute from '../../app/api/sessions/[id]/links/[role]/rotate/route';
import { log, setLogLevel } from '../../server/log';
import { closeCodeOf, harness, waitFor } from './helpers';

process.setMaxListeners(50);

const t = harness();

/** Parses a Prometheus text exposition into `name{labels}` → value, checking every line's syntax. */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
      expect(line).toMatch(/^# (HELP [a-z_]+ .+|TYPE [a-z_]+ (counter|gauge|histogram))$/);
      continue;
    }
    const m = /^([a-z_][a-z0-9_]*(?:\{[a-z_]+="[^"]*"\})?) (-?[0-9.e+-]+|\+Inf)$/.exec(line);
    expect(m, `bad metrics line: ${line}`).not.toBeNull();
    values.set(m![1], Number(m![2]));
  }
  return values;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseMetrics(await res.text());
}

describe('/metrics', () => {
  it('reports rooms, connections, traffic, persistence, compactions and rejections in the Prometheus format', async () => {
    const s = await t.server({ rooms: { compactThreshold: 5 } });
    const { id, keys } = await s.createSession();
    const empty = await scrape(s.url);
    expect(empty.get('parley_rooms_loaded')).toBe(0);
    expect(empty.get('parley_connections')).toBe(0);
    expect(empty.get('parley_persist_seconds_count')).toBe(0);

    const a = await t.synced(s.collabUrl, id, { key: keys.editor });
    const b = await t.synced(s.collabUrl, `${id}.brief`, { key: keys.viewer });
    for (let i = 0; i < 12; i++) a.doc.getMap('m').set(`k${i}`, i);
    b.doc.getText('body').insert(0, 'dropped');
    await waitFor(() => b.denied.length === 1);
    await waitFor(() => s.services.metrics.compactions > 0 && s.services.rooms.stats().pendingWrites === 0);
    expect(await closeCodeOf(`${s.collabUrl}/${id}?key=${'A'.repeat(43)}`)).toBe(CloseCode.Forbidden);
    const bad = t.raw(`${s.collabUrl}/${id}?key=${keys.editor}`);
    await bad.opened;
    bad.ws.send(new Uint8Array([42]));
    await bad.closed;

    const m = await scrape(s.url);
    expect(m.get('parley_rooms_loaded')).toBe(2);
    expect(m.get('parley_connections')).toBe(2);
    expect(m.get('parley_connections_opened_total')).toBe(3);
    expect(m.get('parley_connections_refused_total{reason="forbidden"}')).toBe(1);
    expect(m.get('parley_messages_received_total')).toBeGreaterThanOrEqual(15);
    expect(m.get('parley_messages_sent_total')).toBeGreaterThanOrEqual(4);
    expect(m.get('parley_bytes_received_total')).toBeGreaterThan(0);
    expect(m.get('parley_bytes_sent_total')).toBeGreaterThan(0);
    expect(m.get('parley_updates_persisted_total')).toBeGreaterThanOrEqual(12);
    expect(m.get('parley_persist_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(m.get('parley_persist_seconds_bucket{le="+Inf"}')).toBe(m.get('parley_persist_seconds_count'));
    expect(m.get('parley_compactions_total')).toBeGreaterThanOrEqual(1);
    expect(m.get('parley_messages_rejected_total{reason="read_only"}')).toBe(1);
    expect(m.get('parley_messages_rejected_total{reason="unknown_type"}')).toBe(1);
    expect(m.get('parley_message_handling_seconds_count')).toBeGreaterThanOrEqual(15);
    expect(m.get('parley_pending_writes')).toBe(0);
    expect(m.get('parley_failing_writes')).toBe(0);
  });

  it('asks for the bearer token when PARLEY_METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789';
    const s = await t.server({ env: { PARLEY_METRICS_TOKEN: token } });
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const m = await scrape(s.url, { authorization: `Bearer ${token}` });
    expect(m.get('parley_rooms_loaded')).toBe(0);
  });
});

describe('logs', () => {
  afterEach(() => {
    setLogLevel('warn');
    vi.restoreAllMocks();
  });

  it('are one JSON object per line with the room id, and never carry a token', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => lines.push(args.map(String).join(' ')));
    setLogLevel('debug');

    const s = await t.server({ rooms: { compactThreshold: 3 } });
    const { id, keys } = await s.createSession();
    const secrets = [...Object.values(keys), 'A'.repeat(43)];
    const editor = await t.synced(s.collabUrl, id, { key: keys.editor, name: 'Ana' });
    for (let i = 0; i < 5; i++) editor.doc.getMap('m').set(`k${i}`, i);
    await t.synced(s.collabUrl, `${id}.brief`, { key: keys.viewer });
    await closeCodeOf(`${s.collabUrl}/${id}?key=${'A'.repeat(43)}`);
    await closeCodeOf(`${s.collabUrl}/${id}.brief?key=${keys.owner.slice(0, 20)}&name=x`);
    const bad = t.raw(`${s.collabUrl}/${id}?key=${keys.editor}`);
    await bad.opened;
    bad.ws.send(new Uint8Array([0, 2, 5, 1]));
    await bad.closed;

    const rotated = await rotateRoute.POST(
      new Request(`http://parley.test/api/sessions/${id}/links/editor/rotate?key=${keys.owner}`, { method: 'POST' }),
      { params: Promise.resolve({ id, role: 'editor' }) },
    );
    const newKey = ((await rotated.json()) as { path: string }).path.split('key=')[1];
    secrets.push(newKey);
    await waitFor(() => editor.closeCodes.includes(CloseCode.LinkRotated));
    await exportRoute.GET(new Request(`http://parley.test/api/sessions/${id}/export?format=nope&key=${newKey}`), { params: Promise.resolve({ id }) });
    // A logged URL or error that happens to contain a key is redacted too.
    log.warn('request failed', { url: `/sessions/${id}?key=${keys.owner}`, error: new Error(`fetch /x?key=${keys.viewer} failed`), key: keys.commenter });
    log.warn('header', { auth: `Bearer ${keys.editor}` });
    await s.close();

    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json.some((l) => l.msg === 'connection opened' && l.room === id && l.role === 'editor')).toBe(true);
    expect(json.some((l) => l.msg === 'refused a websocket' && l.room === id && l.reason === 'forbidden')).toBe(true);
    expect(json.some((l) => l.msg === 'closing a connection' && l.room === id && l.reason === 'malformed')).toBe(true);
    expect(json.some((l) => l.msg === 'rotated a session link' && l.session === id && l.role === 'editor')).toBe(true);
    expect(json.some((l) => l.msg === 'request failed' && l.url === `/sessions/${id}?key=[redacted]`)).toBe(true);
  });
});
