'use client';

import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { briefFragment, quoteStillMatches, type QuoteBlock } from '@/lib/doc/brief';
import type { Transcript } from '@/lib/transcript/types';
import { PassageQuote } from './passage-quote';

export interface BriefEditorProps {
  doc: Y.Doc;
  provider: WebsocketProvider;
  user: { name: string; color: string } | null;
  editable: boolean;
  transcript: Transcript;
  onOpenQuote: (quote: QuoteBlock) => void;
  onEditor: (editor: Editor | null) => void;
  onDraft: () => void;
}

function ToolButton(props: { label: string; active?: boolean; disabled?: boolean; onClick: () => void; children: React.ReactNode; testId?: string }) {
  return (
    <button
      type="button"
      aria-label={props.label}
      title={props.label}
      aria-pressed={props.active === undefined ? undefined : props.active}
      disabled={props.disabled}
      data-testid={props.testId}
      onMouseDown={(e) => e.preventDefault()}
      onClick={props.onClick}
      className={`min-w-7 rounded px-1.5 py-1 text-xs font-semibold disabled:opacity-40 ${
        props.active ? 'bg-[var(--border)] text-[var(--text)]' : 'text-[var(--text-muted)] hover:bg-[var(--surface-muted)] hover:text-[var(--text)]'
      }`}
    >
      {props.children}
    </button>
  );
}

/** The link field that replaces prompt(): inline, under the toolbar. */
function LinkField({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const [href, setHref] = useState(() => (editor.getAttributes('link').href as string | undefined) ?? 'https://');
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    const h = href.trim();
    if (!h || h === 'https://') {
      editor.chain().focus().extendMarkRange('link').unsetLink().run();
      onDone();
      return;
    }
    if (!/^(https?:\/\/|mailto:)\S+$/i.test(h)) {
      setError('Use a web address (https://…) or mailto:.');
      return;
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href: h }).run();
    onDone();
  };
  return (
    <form
      className="flex items-center gap-1.5 border-b border-[var(--border)] px-2 py-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onDone();
          editor.commands.focus();
        }
      }}
    >
      <label className="sr-only" htmlFor="brief-link">
        Link address
      </label>
      <input
        id="brief-link"
        autoFocus
        value={href}
        onChange={(e) => {
          setHref(e.target.value);
          setError(null);
        }}
        className="min-w-0 flex-1 rounded border border-[var(--border)] bg-[var(--surface)] px-2 py-0.5 text-xs"
      />
      <button type="submit" className="rounded bg-[var(--accent)] px-2 py-0.5 text-xs font-medium text-[var(--accent-text)]">
        Set link
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </span>
      )}
    </form>
  );
}

/** The shared brief: Tiptap on the brief's Y.Doc, with the others' carets and names live. */
export function BriefEditor(props: BriefEditorProps) {
  const { doc, provider, user, editable, transcript, onOpenQuote, onEditor } = props;
  const [linking, setLinking] = useState(false);
  const fragment = useMemo(() => briefFragment(doc), [doc]);

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        // Undo comes from the collaboration extension: it reverts only this analyst's changes.
        StarterKit.configure({ undoRedo: false, underline: false, link: { openOnClick: false, autolink: true } }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({ provider, user: user ?? { name: 'Guest', color: '#44677A' } }),
        PassageQuote.configure({ matches: (q) => quoteStillMatches(transcript, q), open: onOpenQuote }),
      ],
      editorProps: {
        attributes: {
          class: 'brief-content min-h-[16rem] px-4 py-3 outline-none',
          'aria-label': 'Brief',
          'aria-multiline': 'true',
          role: 'textbox',
          'data-testid': 'brief.editor',
        },
      },
    },
    [fragment, provider],
  );

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  useEffect(() => {
    if (editor && user) editor.commands.updateUser(user);
  }, [editor, user]);

  useEffect(() => {
    onEditor(editor);
    return () => onEditor(null);
  }, [editor, onEditor]);

  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e
        ? {
            bold: e.isActive('bold'),
            italic: e.isActive('italic'),
            h2: e.isActive('heading', { level: 2 }),
            h3: e.isActive('heading', { level: 3 }),
            bullet: e.isActive('bulletList'),
            ordered: e.isActive('orderedList'),
            quote: e.isActive('blockquote'),
            link: e.isActive('link'),
            canUndo: e.can().undo(),
            canRedo: e.can().redo(),
          }
        : null,
  });

  if (!editor) return <p className="p-4 text-sm text-[var(--text-muted)]">Opening the brief…</p>;

  return (
    <div className="flex h-full flex-col">
      {editable && (
        <div role="toolbar" aria-label="Formatting" className="flex flex-wrap items-center gap-0.5 border-b border-[var(--border)] px-2 py-1.5">
          <ToolButton label="Bold" active={state?.bold} onClick={() => editor.chain().focus().toggleBold().run()}>
            B
          </ToolButton>
          <ToolButton label="Italic" active={state?.italic} onClick={() => editor.chain().focus().toggleItalic().run()}>
            <span className="italic">I</span>
          </ToolButton>
          <ToolButton label="Heading" active={state?.h2} onClick={() => editor.chain().focus().toggleHeading({ level: 2 }).run()}>
            H2
          </ToolButton>
          <ToolButton label="Subheading" active={state?.h3} onClick={() => editor.chain().focus().toggleHeading({ level: 3 }).run()}>
            H3
          </ToolButton>
          <ToolButton label="Bulleted list" active={state?.bullet} onClick={() => editor.chain().focus().toggleBulletList().run()}>
            •
          </ToolButton>
          <ToolButton label="Numbered list" active={state?.ordered} onClick={() => editor.chain().focus().toggleOrderedList().run()}>
            1.
          </ToolButton>
          <ToolButton label="Block quote" active={state?.quote} onClick={() => editor.chain().focus().toggleBlockquote().run()}>
            ❝
          </ToolButton>
          <ToolButton label="Link" active={state?.link} onClick={() => setLinking((v) => !v)}>
            Link
          </ToolButton>
          <span className="mx-1 h-4 w-px bg-[var(--border)]" aria-hidden="true" />
          <ToolButton label="Undo my last change" disabled={!state?.canUndo} onClick={() => editor.chain().focus().undo().run()}>
            ↶
          </ToolButton>
          <ToolButton label="Redo" disabled={!state?.canRedo} onClick={() => editor.chain().focus().redo().run()}>
            ↷
          </ToolButton>
          <button
            type="button"
            data-testid="brief.draft"
            onClick={props.onDraft}
            className="ml-auto rounded-md border border-[var(--border)] px-2 py-0.5 text-xs font-medium hover:bg-[var(--surface-muted)]"
            title="Insert a starting structure made from the session's comments and highlights; nothing is replaced"
          >
            Draft from session
          </button>
        </div>
      )}
      {linking && <LinkField editor={editor} onDone={() => setLinking(false)} />}
      {!editable && (
        <p className="border-b border-[var(--border)] bg-[var(--surface-muted)] px-4 py-2 text-xs text-[var(--text-muted)]">
          You can read the brief; editors and owners write it.
        </p>
      )}
      <div className="flex-1 overflow-y-auto bg-[var(--surface)]">
        <EditorContent editor={editor} />
      </div>
    </div>
  );
}
