'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { checkSize, extensionOf, formatBytes, formatOfFile } from '@/lib/transcript/detect';
import {
  assignTurn,
  mergeSpeakers,
  mergeTurnIntoPrevious,
  newSpeakerLabel,
  renameSpeaker,
  setSpeakerRole,
  setTitle,
  splitTurn,
} from '@/lib/transcript/edit';
import type { SpeakerRole, Transcript } from '@/lib/transcript/types';
import { ImportFailure, readFileWithProgress, saveAndStartSession, TranscriptParser, uploadForPreview } from './parse-client';
import { ROLE_LABELS, SpeakerTable } from './speaker-table';
import { TurnPreview } from './turn-preview';
import { SourcePicker } from './source-picker';

type Busy =
  | { stage: 'reading' | 'uploading'; name: string; loaded: number; total: number }
  | { stage: 'parsing' | 'reading-docx'; name: string }
  | { stage: 'saving'; name: string };

interface Failure {
  message: string;
  problems: string[];
}

const FIRST_TURNS = 20;
const MORE_TURNS = 50;
const UNDO_DEPTH = 50;

function failureOf(err: unknown): Failure {
  if (err instanceof ImportFailure) return { message: err.message, problems: err.problems };
  return { message: err instanceof Error ? err.message : String(err), problems: [] };
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** "2018-06-21" → "21 June 2018"; anything else as written. */
function displayDate(date: string | null): string | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

function ProgressPanel({ busy, onCancel }: { busy: Busy; onCancel: (() => void) | null }) {
  const determinate = 'loaded' in busy && busy.total > 0;
  const percent = determinate ? Math.round((busy.loaded / busy.total) * 100) : null;
  const label =
    busy.stage === 'reading'
      ? `Reading ${busy.name}`
      : busy.stage === 'uploading'
        ? `Sending ${busy.name} to the server`
        : busy.stage === 'reading-docx'
          ? `Reading the Word document ${busy.name}`
          : busy.stage === 'saving'
            ? 'Saving the transcript and starting the review'
            : `Finding speakers and turns in ${busy.name}`;
  return (
    <section
      aria-label="Progress"
      data-testid="import.progress"
      data-stage={busy.stage}
      className="rounded-xl border border-[var(--border)] bg-[var(--surface)] p-6"
    >
      <div className="flex items-baseline justify-between gap-4">
        <p id="import-progress-label" className="text-sm font-medium">
          {label}…
        </p>
        {percent !== null && <span className="text-sm tabular-nums text-[var(--text-muted)]">{percent}%</span>}
      </div>
      <progress
        aria-labelledby="import-progress-label"
        className="mt-3 h-2 w-full overflow-hidden rounded-full accent-[var(--accent)]"
        max={determinate ? busy.total : undefined}
        value={determinate ? busy.loaded : undefined}
      />
      {determinate && (
        <p className="mt-2 text-xs text-[var(--text-muted)]">
          {formatBytes(busy.loaded)} of {formatBytes(busy.total)}
        </p>
      )}
      {onCancel && (
        <button
          type="button"
          onClick={onCancel}
          className="mt-4 rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-1.5 text-sm font-medium hover:bg-[var(--surface-muted)]"
        >
          Cancel
        </button>
      )}
    </section>
  );
}

/** The import screen: choose or paste a transcript, check and fix the preview, then save it and start a review. */
export function ImportScreen({ maxBytes }: { maxBytes: number }) {
  const router = useRouter();
  const titleId = useId();
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [source, setSource] = useState('pasted');
  // Kept apart from the transcript while it is typed: the model's title is trimmed, which would eat the space being typed.
  const [title, setTitleText] = useState('');
  const [history, setHistory] = useState<Transcript[]>([]);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [visible, setVisible] = useState(FIRST_TURNS);
  const parser = useRef<TranscriptParser | null>(null);
  const abort = useRef<AbortController | null>(null);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const [focusTurn, setFocusTurn] = useState<string | null>(null);
  const [parsedIn, setParsedIn] = useState<'worker' | 'main' | 'server' | null>(null);

  useEffect(() => {
    parser.current = new TranscriptParser();
    return () => {
      parser.current?.dispose();
      abort.current?.abort();
    };
  }, []);

  // After an edit the control that was used may be gone (a merged turn): move focus to the turn it concerned.
  useEffect(() => {
    if (!focusTurn) return;
    document.getElementById(`preview-${focusTurn}`)?.focus();
    setFocusTurn(null);
  }, [focusTurn, transcript]);

  const showPreview = useCallback((t: Transcript, from: string) => {
    setTranscript(t);
    setTitleText(t.title);
    setSource(from);
    setHistory([]);
    setVisible(FIRST_TURNS);
    setBusy(null);
    setAnnouncement(`Preview ready: ${t.turns.length} turns by ${t.speakers.length} speakers.`);
    window.requestAnimationFrame(() => previewHeading.current?.focus());
  }, []);

  const fail = useCallback((err: unknown) => {
    if (isAbort(err)) return;
    setBusy(null);
    setFailure(failureOf(err));
  }, []);

  const start = () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setFailure(null);
    return controller.signal;
  };

  const onFile = async (file: File) => {
    const signal = start();
    try {
      // Size and type are checked before a byte is read, so a wrong file fails at once.
      checkSize(file.size, maxBytes, file.name);
      const docx = extensionOf(file.name) === '.docx';
      if (!docx) formatOfFile(file.name);
      if (docx) {
        setBusy({ stage: 'uploading', name: file.name, loaded: 0, total: file.size });
        const t = await uploadForPreview(
          file,
          (loaded, total) => {
            if (signal.aborted) return;
            setBusy(loaded >= total ? { stage: 'reading-docx', name: file.name } : { stage: 'uploading', name: file.name, loaded, total });
          },
          signal,
        );
        if (!signal.aborted) {
          setParsedIn('server');
          showPreview(t, file.name);
        }
        return;
      }
      setBusy({ stage: 'reading', name: file.name, loaded: 0, total: file.size });
      const bytes = await readFileWithProgress(file, (loaded, total) => !signal.aborted && setBusy({ stage: 'reading', name: file.name, loaded, total }), signal);
      setBusy({ stage: 'parsing', name: file.name });
      const t = await parser.current!.parse({ kind: 'bytes', bytes, fileName: file.name, maxBytes }, signal);
      if (!signal.aborted) {
        setParsedIn(parser.current!.lastRunIn);
        showPreview(t, file.name);
      }
    } catch (err) {
      fail(err);
    }
  };

  const onText = async (text: string) => {
    const signal = start();
    try {
      const size = new Blob([text]).size;
      if (size > maxBytes) checkSize(size, maxBytes, 'The pasted text');
      setBusy({ stage: 'parsing', name: 'the pasted text' });
      const t = await parser.current!.parse({ kind: 'text', text, fileName: null }, signal);
      if (!signal.aborted) {
        setParsedIn(parser.current!.lastRunIn);
        showPreview(t, 'pasted');
      }
    } catch (err) {
      fail(err);
    }
  };

  const cancel = () => {
    abort.current?.abort();
    setBusy(null);
    setAnnouncement('Cancelled.');
  };

  /** Applies an edit, keeping the previous transcript for undo and saying what changed. */
  const edit = (fn: (t: Transcript) => Transcript, said: string, focus?: (next: Transcript) => string | null) => {
    if (!transcript) return;
    try {
      const next = fn(transcript);
      if (next === transcript) return;
      setHistory((h) => [...h.slice(-(UNDO_DEPTH - 1)), transcript]);
      setTranscript(next);
      setFailure(null);
      setAnnouncement(said);
      if (focus) setFocusTurn(focus(next));
    } catch (err) {
      setFailure(failureOf(err));
    }
  };

  const undo = () => {
    const previous = history[history.length - 1];
    if (!previous) return;
    setHistory((h) => h.slice(0, -1));
    setTranscript(previous);
    setAnnouncement('Last change undone.');
  };

  const startOver = () => {
    abort.current?.abort();
    setTranscript(null);
    setHistory([]);
    setFailure(null);
    setAnnouncement('Preview discarded.');
  };

  const save = async () => {
    if (!transcript) return;
    if (!title.trim()) {
      setFailure({ message: 'Give the transcript a title before saving it.', problems: [] });
      document.getElementById(titleId)?.focus();
      return;
    }
    setFailure(null);
    setBusy({ stage: 'saving', name: transcript.title });
    try {
      const path = await saveAndStartSession(setTitle(transcript, title), source);
      setAnnouncement('Saved. Opening the review session…');
      router.push(path);
    } catch (err) {
      fail(err);
    }
  };

  const stats = transcript
    ? `${transcript.turns.length} ${transcript.turns.length === 1 ? 'turn' : 'turns'} · ${transcript.exchanges.length} ${
        transcript.exchanges.length === 1 ? 'exchange' : 'exchanges'
      } · ${transcript.speakers.length} ${transcript.speakers.length === 1 ? 'speaker' : 'speakers'}`
    : '';

  return (
    <main className="mx-auto max-w-5xl px-4 py-10 sm:px-6" data-testid="import.screen">
      <header className="mb-8">
        <Link href="/" className="text-sm font-bold tracking-tight text-[var(--accent)] hover:underline">
          Parley
        </Link>
        <h1 className="mt-2 font-serif text-3xl font-semibold leading-tight sm:text-4xl">Import a transcript</h1>
        <p className="mt-3 max-w-2xl text-[var(--text-muted)]">
          Press conferences, briefings, hearings, interviews, podcasts and subtitle files. Parley finds the speakers, their turns and the
          questions and answers; check them here, fix what it got wrong, then start a review.
        </p>
      </header>

      <p role="status" aria-live="polite" className="sr-only" data-testid="import.status">
        {announcement}
      </p>

      {failure && (
        <div role="alert" data-testid="import.error" className="mb-6 rounded-xl border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100">
          <p className="font-medium">{failure.message}</p>
          {failure.problems.length > 0 && (
            <ul className="mt-2 list-disc space-y-0.5 pl-5">
              {failure.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {busy && <ProgressPanel busy={busy} onCancel={busy.stage === 'saving' ? null : cancel} />}

      {!busy && !transcript && <SourcePicker maxBytes={maxBytes} onFile={onFile} onText={onText} />}

      {!busy && transcript && (
        <div className="space-y-8" data-testid="import.preview" data-parsed-in={parsedIn ?? undefined}>
          <section aria-labelledby="preview-heading" className="rounded-xl border border-[var(--border)] bg-[var(--surface)] p-5 shadow-sm">
            <h2 id="preview-heading" ref={previewHeading} tabIndex={-1} className="text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">
              Preview of {source === 'pasted' ? 'the pasted text' : source}
            </h2>
            <label htmlFor={titleId} className="mt-3 block text-sm font-medium">
              Title
            </label>
            <input
              id={titleId}
              data-testid="preview.title"
              value={title}
              maxLength={300}
              onChange={(e) => setTitleText(e.target.value)}
              className="mt-1 w-full rounded-md border border-[var(--border)] bg-[var(--surface)] px-3 py-2 font-serif text-lg font-semibold"
            />
            <p className="mt-2 text-sm text-[var(--text-muted)]" data-testid="preview.stats">
              {[transcript.place, displayDate(transcript.date)].filter(Boolean).join(' · ')}
              {transcript.place || transcript.date ? ' · ' : ''}
              {stats}
            </p>
            <div className="mt-4 flex flex-wrap items-center gap-3">
              <button
                type="button"
                data-testid="preview.save"
                onClick={save}
                className="rounded-md bg-[var(--accent)] px-3.5 py-2 text-sm font-medium text-[var(--accent-text)] hover:opacity-90"
              >
                Save and start the review
              </button>
              <button
                type="button"
                data-testid="preview.undo"
                onClick={undo}
                disabled={history.length === 0}
                className="rounded-md border border-[var(--border)] bg-[var(--surface)] px-3.5 py-2 text-sm font-medium hover:bg-[var(--surface-muted)] disabled:opacity-50"
              >
                Undo last change
              </button>
              <button
                type="button"
                data-testid="preview.discard"
                onClick={startOver}
                className="rounded-md px-3.5 py-2 text-sm font-medium text-[var(--text-muted)] hover:bg-[var(--surface-muted)]"
              >
                Choose another transcript
              </button>
            </div>
          </section>

          <section aria-labelledby="speakers-heading">
            <h2 id="speakers-heading" className="mb-1 text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">
              Speakers
            </h2>
            <p className="mb-3 text-sm text-[var(--text-muted)]">
              Questions pair with the answers that follow them. Set who {ROLE_LABELS.asks.toLowerCase()}, who answers and who moderates;
              rename a speaker, or merge two labels that are one person.
            </p>
            <SpeakerTable
              speakers={transcript.speakers}
              onRename={(label, name) => edit((t) => renameSpeaker(t, label, name), `Renamed ${label} to ${name.trim()}.`)}
              onMerge={(from, into) => edit((t) => mergeSpeakers(t, from, into), `Merged ${from} into ${into}.`)}
              onRole={(label, role: SpeakerRole) =>
                edit((t) => setSpeakerRole(t, label, role), `${label}: ${ROLE_LABELS[role].toLowerCase()}. Questions and answers paired again.`)
              }
            />
          </section>

          <section aria-labelledby="turns-heading">
            <h2 id="turns-heading" className="mb-1 text-xs font-semibold uppercase tracking-wider text-[var(--text-muted)]">
              Turns
            </h2>
            <p className="mb-3 text-sm text-[var(--text-muted)]">
              Merge a turn that continues the one above, split one where another speaker takes over, or give a turn to another speaker.
            </p>
            <TurnPreview
              transcript={transcript}
              visible={visible}
              newSpeaker={newSpeakerLabel(transcript)}
              onShowMore={() => setVisible((v) => v + MORE_TURNS)}
              onMergeUp={(turnId) => {
                const n = transcript.turns.findIndex((t) => t.id === turnId) + 1;
                edit((t) => mergeTurnIntoPrevious(t, turnId), `Merged turn ${n} into turn ${n - 1}.`, (next) => next.turns[n - 2]?.id ?? null);
              }}
              onSplit={(turnId, i) => {
                const n = transcript.turns.findIndex((t) => t.id === turnId) + 1;
                edit((t) => splitTurn(t, turnId, i), `Split turn ${n}; the new turn is turn ${n + 1}.`, (next) => next.turns[n]?.id ?? null);
              }}
              onAssign={(turnId, label) => {
                const n = transcript.turns.findIndex((t) => t.id === turnId) + 1;
                edit((t) => assignTurn(t, turnId, label), `Turn ${n} is now ${label}’s.`);
              }}
            />
          </section>
        </div>
      )}
    </main>
  );
}
