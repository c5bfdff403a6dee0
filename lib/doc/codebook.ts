import * as Y from 'yjs';
import { listComments, LOCAL_ORIGIN, normaliseTags, setTags, transact } from './commentary';
import { AUTHOR_COLORS } from '../presence/palette';

/**
 * The session's codebook: the tags the team codes comments with, each with a
 * colour and a description. Kept in the commentary document under `codebook`,
 * keyed by the tag's lower-cased name, so two analysts adding "Reform" and
 * "reform" at once end up with one entry.
 *
 * Comments store tag names (see lib/doc/commentary.ts), so renaming and merging
 * rewrite the comments that use a tag in the same transaction.
 */

const CODEBOOK = 'codebook';

export interface Code {
  name: string;
  color: string;
  description: string;
  retired: boolean;
}

function codebookMap(doc: Y.Doc): Y.Map<Code> {
  return doc.getMap<Code>(CODEBOOK);
}

const keyOf = (name: string) => name.trim().toLowerCase();

/** Every code, in alphabetical order; entries from peers are checked. */
export function listCodes(doc: Y.Doc): Code[] {
  const out: Code[] = [];
  for (const v of codebookMap(doc).values()) {
    if (!v || typeof v.name !== 'string' || !v.name.trim()) continue;
    out.push({
      name: v.name,
      color: (AUTHOR_COLORS as readonly string[]).includes(v.color) ? v.color : AUTHOR_COLORS[7],
      description: typeof v.description === 'string' ? v.description : '',
      retired: v.retired === true,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function cleanName(name: string): string {
  const [clean] = normaliseTags([name]);
  if (!clean) throw new Error('A code needs a name.');
  return clean;
}

/** Adds a code (or updates the colour and description of an existing one with that name). */
export function addCode(doc: Y.Doc, input: { name: string; color?: string; description?: string }, origin: unknown = LOCAL_ORIGIN): Code {
  const name = cleanName(input.name);
  const map = codebookMap(doc);
  const used = new Set([...map.values()].map((c) => c?.color));
  const color =
    input.color && (AUTHOR_COLORS as readonly string[]).includes(input.color)
      ? input.color
      : (AUTHOR_COLORS.find((c) => !used.has(c)) ?? AUTHOR_COLORS[map.size % AUTHOR_COLORS.length]);
  const code: Code = { name, color, description: (input.description ?? '').trim().slice(0, 300), retired: false };
  transact(doc, () => map.set(keyOf(name), code), origin);
  return code;
}

/** Rewrites `from` to `to` in every comment's tags (keeping order, without duplicates). */
function rewriteTags(doc: Y.Doc, from: string, to: string | null, origin: unknown): void {
  for (const c of listComments(doc)) {
    if (!c.tags.some((t) => keyOf(t) === keyOf(from))) continue;
    setTags(doc, c.id, c.tags.map((t) => (keyOf(t) === keyOf(from) ? (to ?? '') : t)).filter(Boolean), origin);
  }
}

/** Renames a code, and the tag on every comment that carries it. */
export function renameCode(doc: Y.Doc, from: string, to: string, origin: unknown = LOCAL_ORIGIN): void {
  const name = cleanName(to);
  const map = codebookMap(doc);
  const existing = map.get(keyOf(from));
  if (!existing) throw new Error(`There is no code called "${from}".`);
  if (keyOf(name) !== keyOf(from) && map.has(keyOf(name))) {
    throw new Error(`A code called "${name}" exists already: merge the two instead.`);
  }
  transact(
    doc,
    () => {
      map.delete(keyOf(from));
      map.set(keyOf(name), { ...existing, name });
      rewriteTags(doc, from, name, origin);
    },
    origin,
  );
}

/** Merges code `from` into `into`: comments tagged `from` are tagged `into`, and `from` goes. */
export function mergeCodes(doc: Y.Doc, from: string, into: string, origin: unknown = LOCAL_ORIGIN): void {
  const map = codebookMap(doc);
  const target = map.get(keyOf(into));
  if (!target) throw new Error(`There is no code called "${into}".`);
  if (keyOf(from) === keyOf(into)) throw new Error('Choose two different codes to merge.');
  transact(
    doc,
    () => {
      map.delete(keyOf(from));
      rewriteTags(doc, from, target.name, origin);
    },
    origin,
  );
}

/** Retires a code (it stays on the comments that have it, but is no longer offered) or brings it back. */
export function setCodeRetired(doc: Y.Doc, name: string, retired: boolean, origin: unknown = LOCAL_ORIGIN): void {
  const map = codebookMap(doc);
  const existing = map.get(keyOf(name));
  if (!existing) throw new Error(`There is no code called "${name}".`);
  transact(doc, () => map.set(keyOf(name), { ...existing, retired }), origin);
}

/** Changes a code's description. */
export function describeCode(doc: Y.Doc, name: string, description: string, origin: unknown = LOCAL_ORIGIN): void {
  const map = codebookMap(doc);
  const existing = map.get(keyOf(name));
  if (!existing) throw new Error(`There is no code called "${name}".`);
  transact(doc, () => map.set(keyOf(name), { ...existing, description: description.trim().slice(0, 300) }), origin);
}

/** Calls `fn` after every change to the codebook; returns the unsubscribe function. */
export function observeCodebook(doc: Y.Doc, fn: () => void): () => void {
  const map = codebookMap(doc);
  const h = () => fn();
  map.observe(h);
  return () => map.unobserve(h);
}

/** The colour of the first coded tag of a comment, for highlights coloured by tag. */
export function codeColor(codes: readonly Code[], tags: readonly string[]): string | null {
  for (const t of tags) {
    const c = codes.find((x) => keyOf(x.name) === keyOf(t));
    if (c) return c.color;
  }
  return null;
}

/** The shared type undo covers for codebook changes (see useCommentaryUndo). */
export function codebookUndoScope(doc: Y.Doc): Y.Map<Code> {
  return codebookMap(doc);
}
