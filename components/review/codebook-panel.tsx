'use client';

import { useId, useState } from 'react';
import type { Code } from '@/lib/doc/codebook';

export interface CodebookPanelProps {
  codes: Code[];
  /** How many comments carry each tag (lower-cased name → count), coded or not. */
  usage: ReadonlyMap<string, { name: string; count: number }>;
  canEdit: boolean;
  colorByTag: boolean;
  onColorByTag: (on: boolean) => void;
  onAdd: (name: string, description: string) => void;
  onRename: (from: string, to: string) => void;
  onMerge: (from: string, into: string) => void;
  onRetire: (name: string, retired: boolean) => void;
  onDescribe: (name: string, description: string) => void;
  /** The verdict scale, and (for the owner) a way to change it. */
  scale: string[];
  onScale?: (values: string[]) => void;
}

function CodeRow({ code, count, props }: { code: Code; count: number; props: CodebookPanelProps }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'merge' | 'describe'>('view');
  const [value, setValue] = useState('');
  const id = useId();
  const others = props.codes.filter((c) => c.name !== code.name && !c.retired);
  const small = 'rounded px-1.5 py-0.5 text-xs text-[var(--text-muted)] hover:bg-[var(--surface-muted)] hover:text-[var(--text)]';
  return (
    <li className={`rounded-lg border border-[var(--border)] bg-[var(--surface)] p-2.5 ${code.retired ? 'opacity-70' : ''}`} data-testid="code" data-name={code.name}>
      <div className="flex items-center gap-2">
        <span className="h-3 w-3 shrink-0 rounded-full" style={{ backgroundColor: code.color }} aria-hidden="true" />
        <span className="text-sm font-semibold">#{code.name}</span>
        {code.retired && <span className="rounded-full bg-[var(--surface-muted)] px-1.5 text-[11px]">retired</span>}
        <span className="ml-auto text-xs tabular-nums text-[var(--text-muted)]">
          {count} {count === 1 ? 'use' : 'uses'}
        </span>
      </div>
      {code.description && mode !== 'describe' && <p className="mt-1 text-xs text-[var(--text-muted)]">{code.description}</p>}
      {props.canEdit && mode === 'view' && (
        <div className="mt-1 flex flex-wrap gap-0.5">
          <button type="button" className={small} onClick={() => { setMode('rename'); setValue(code.name); }} data-testid="code.rename">
            Rename
          </button>
          {others.length > 0 && (
            <button type="button" className={small} onClick={() => { setMode('merge'); setValue(others[0].name); }} data-testid="code.merge">
              Merge into…
            </button>
          )}
          <button type="button" className={small} onClick={() => { setMode('describe'); setValue(code.description); }}>
            Describe
          </button>
          <button type="button" className={small} onClick={() => props.onRetire(code.name, !code.retired)} data-testid="code.retire">
            {code.retired ? 'Restore' : 'Retire'}
          </button>
        </div>
      )}
      {mode !== 'view' && (
        <form
          className="mt-2 flex gap-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            if (mode === 'rename') props.onRename(code.name, value);
            if (mode === 'merge') props.onMerge(code.name, value);
            if (mode === 'describe') props.onDescribe(code.name, value);
            setMode('view');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setMode('view');
            }
          }}
        >
          <label htmlFor={id} className="sr-only">
            {mode === 'rename' ? 'New name' : mode === 'merge' ? 'Merge into' : 'Description'}
          </label>
          {mode === 'merge' ? (
            <select id={id} value={value} onChange={(e) => setValue(e.target.value)} className="min-w-0 flex-1 rounded border border-[var(--border)] bg-[var(--surface)] px-1.5 text-xs" data-testid="code.merge-into">
              {others.map((o) => (
                <option key={o.name} value={o.name}>
                  #{o.name}
                </option>
              ))}
            </select>
          ) : (
            <input id={id} autoFocus value={value} maxLength={mode === 'describe' ? 300 : 40} onChange={(e) => setValue(e.target.value)} className="min-w-0 flex-1 rounded border border-[var(--border)] bg-[var(--surface)] px-1.5 py-0.5 text-xs" data-testid="code.input" />
          )}
          <button type="submit" className="rounded bg-[var(--accent)] px-2 py-0.5 text-xs font-medium text-[var(--accent-text)]" data-testid="code.save">
            {mode === 'merge' ? 'Merge' : 'Save'}
          </button>
          <button type="button" className={small} onClick={() => setMode('view')}>
            Cancel
          </button>
        </form>
      )}
    </li>
  );
}

/** The verdict scale analysts choose from; the owner edits it as a comma-separated list. */
function ScaleEditor({ scale, onScale }: { scale: string[]; onScale?: (values: string[]) => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const id = useId();
  return (
    <div className="mt-6 border-t border-[var(--border)] pt-4" data-testid="scale">
      <h3 className="text-sm font-semibold">Verdict scale</h3>
      {editing && onScale ? (
        <form
          className="mt-2 space-y-1.5"
          onSubmit={(e) => {
            e.preventDefault();
            onScale(value.split(','));
            setEditing(false);
          }}
        >
          <label htmlFor={id} className="block text-xs text-[var(--text-muted)]">
            Values, separated by commas (at most 12)
          </label>
          <input id={id} autoFocus value={value} onChange={(e) => setValue(e.target.value)} className="block w-full rounded border border-[var(--border)] bg-[var(--surface)] px-2 py-1 text-sm" data-testid="scale.input" />
          <div className="flex gap-1.5">
            <button type="submit" className="rounded bg-[var(--accent)] px-2.5 py-1 text-xs font-medium text-[var(--accent-text)]" data-testid="scale.save">
              Save scale
            </button>
            <button type="button" onClick={() => setEditing(false)} className="rounded px-2 py-1 text-xs text-[var(--text-muted)]">
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="mt-1.5 flex flex-wrap items-center gap-1.5">
          {scale.map((v) => (
            <span key={v} className="rounded-full border border-[var(--border)] px-2 py-0.5 text-xs">
              {v}
            </span>
          ))}
          {onScale && (
            <button
              type="button"
              onClick={() => {
                setValue(scale.join(', '));
                setEditing(true);
              }}
              className="rounded px-1.5 py-0.5 text-xs text-[var(--accent)] hover:underline"
              data-testid="scale.edit"
            >
              Edit
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** The session's codebook: codes with colour and description; editors add, rename, merge and retire them. */
export function CodebookPanel(props: CodebookPanelProps) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const id = useId();
  const coded = new Set(props.codes.map((c) => c.name.toLowerCase()));
  const uncoded = [...props.usage.entries()].filter(([key]) => !coded.has(key));

  return (
    <section aria-labelledby={`${id}-h`} className="flex h-full flex-col overflow-y-auto p-4">
      <div className="mb-3 flex items-center justify-between gap-2">
        <h2 id={`${id}-h`} className="text-sm font-semibold">
          Codebook
        </h2>
        <label className="flex items-center gap-1.5 text-xs">
          <input type="checkbox" checked={props.colorByTag} onChange={(e) => props.onColorByTag(e.target.checked)} data-testid="code.color-by-tag" />
          Colour highlights by code
        </label>
      </div>
      {props.canEdit && (
        <form
          className="mb-4 space-y-1.5 rounded-lg border border-dashed border-[var(--border)] p-2.5"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            props.onAdd(name, description);
            setName('');
            setDescription('');
          }}
        >
          <label htmlFor={`${id}-name`} className="block text-xs font-medium">
            New code
          </label>
          <input id={`${id}-name`} value={name} maxLength={40} onChange={(e) => setName(e.target.value)} placeholder="e.g. evasion" className="block w-full rounded border border-[var(--border)] bg-[var(--surface)] px-2 py-1 text-sm" data-testid="code.new-name" />
          <label htmlFor={`${id}-desc`} className="sr-only">
            Description
          </label>
          <input id={`${id}-desc`} value={description} maxLength={300} onChange={(e) => setDescription(e.target.value)} placeholder="What it means (optional)" className="block w-full rounded border border-[var(--border)] bg-[var(--surface)] px-2 py-1 text-xs" />
          <button type="submit" className="rounded bg-[var(--accent)] px-2.5 py-1 text-xs font-medium text-[var(--accent-text)]" data-testid="code.add">
            Add code
          </button>
        </form>
      )}
      {props.codes.length === 0 && <p className="text-sm text-[var(--text-muted)]">No codes yet. Codes are the tags the team agrees to use; comments pick them as they are typed.</p>}
      <ul className="space-y-2">
        {props.codes.map((c) => (
          <CodeRow key={c.name} code={c} count={props.usage.get(c.name.toLowerCase())?.count ?? 0} props={props} />
        ))}
      </ul>
      <ScaleEditor scale={props.scale} onScale={props.onScale} />
      {uncoded.length > 0 && (
        <div className="mt-4">
          <h3 className="mb-1 text-xs font-semibold text-[var(--text-muted)]">Tags in use that are not codes</h3>
          <ul className="flex flex-wrap gap-1.5">
            {uncoded.map(([key, u]) => (
              <li key={key} className="flex items-center gap-1 rounded-full border border-[var(--border)] px-2 py-0.5 text-xs">
                #{u.name} <span className="text-[var(--text-muted)]">{u.count}</span>
                {props.canEdit && (
                  <button type="button" className="ml-1 font-medium text-[var(--accent)] hover:underline" onClick={() => props.onAdd(u.name, '')}>
                    Add
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
