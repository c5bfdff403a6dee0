'use client';

import { useEffect, useState } from 'react';
import type { Comment, Thread } from '@/lib/doc/commentary';
import { Avatar } from '@/components/ui/avatar';
import { RelativeTime } from '@/components/ui/relative-time';
import { Composer } from './composer';
import { splitMentions } from '@/lib/doc/filter';

export interface ThreadActions {
  reply: (parentId: string, body: string, tags: string[]) => void;
  edit: (id: string, body: string, tags: string[]) => void;
  remove: (id: string) => void;
  resolve: (id: string, resolved: boolean) => void;
  jumpTo: (comment: Comment) => void;
  typing: (typing: boolean) => void;
  /** Present when this analyst may write the brief. */
  addToBrief?: (thread: Thread) => void;
}

export interface ThreadCardProps {
  thread: Thread;
  where: string;
  meId: string | null;
  canWrite: boolean;
  active: boolean;
  flashing: ReadonlySet<string>;
  actions: ThreadActions;
  /** Names that `@mentions` can refer to (shown emphasised, offered while typing). */
  mentionNames: string[];
  tagSuggestions: string[];
  /** Changes when the analyst asks (with the R key) to reply to this thread. */
  replyRequest?: number;
}

const linkButton =
  'rounded px-1.5 py-0.5 text-xs font-medium text-[var(--text-muted)] hover:bg-[var(--surface-muted)] hover:text-[var(--text)]';

function Tags({ tags }: { tags: string[] }) {
  if (!tags.length) return null;
  return (
    <ul className="mt-1.5 flex flex-wrap gap-1" aria-label="Tags">
      {tags.map((t) => (
        <li key={t} data-testid="comment.tag" className="rounded-full bg-[var(--surface-muted)] px-2 py-0.5 text-xs text-[var(--text)]">
          #{t}
        </li>
      ))}
    </ul>
  );
}

/** One comment or reply: author, time, text (always as text, never as HTML), tags, and its author's actions. */
function CommentView({
  c,
  isRoot,
  props,
}: {
  c: Comment;
  isRoot: boolean;
  props: ThreadCardProps;
}) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const mine = props.meId === c.author.id;
  const edited = c.updatedAt - c.createdAt > 1000;

  return (
    <div data-testid={isRoot ? 'thread.root' : 'thread.reply'} data-comment-id={c.id} className={props.flashing.has(c.id) ? 'flash rounded-md' : ''}>
      <div className="flex items-center gap-2">
        <Avatar name={c.author.name} color={c.author.color} size="sm" />
        <span className="truncate text-sm font-semibold" data-testid="comment.author">
          {c.author.name}
        </span>
        <span className="shrink-0 text-xs text-[var(--text-muted)]">
          <RelativeTime ms={c.createdAt} />
          {edited && ' · edited'}
        </span>
      </div>
      {editing ? (
        <div className="mt-2">
          <Composer
            context={null}
            initialBody={c.body}
            initialTags={c.tags}
            submitLabel="Save"
            autoFocus
            mentionNames={props.mentionNames}
            tagSuggestions={props.tagSuggestions}
            testId="comment.editor"
            onSubmit={(body, tags) => {
              props.actions.edit(c.id, body, tags);
              setEditing(false);
            }}
            onCancel={() => setEditing(false)}
          />
        </div>
      ) : (
        <>
          {c.body ? (
            <p className="mt-1 whitespace-pre-wrap break-words text-sm leading-relaxed" data-testid="comment.body">
              {splitMentions(c.body, props.mentionNames).map((part, i) =>
                part.mention ? (
                  <strong key={i} className="rounded bg-[var(--surface-muted)] px-0.5 font-semibold text-[var(--accent)]" data-testid="comment.mention">
                    {part.text}
                  </strong>
                ) : (
                  <span key={i}>{part.text}</span>
                ),
              )}
            </p>
          ) : (
            <p className="mt-1 text-sm italic text-[var(--text-muted)]">Highlighted this passage.</p>
          )}
          <Tags tags={c.tags} />
        </>
      )}
      {mine && props.canWrite && !editing && (
        <div className="mt-1 flex flex-wrap items-center gap-1">
          {confirming ? (
            <>
              <span className="text-xs text-[var(--text)]">
                {isRoot ? 'Delete this thread and its replies?' : 'Delete this reply?'}
              </span>
              <button
                type="button"
                className="rounded px-1.5 py-0.5 text-xs font-semibold text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950"
                data-testid="comment.delete-confirm"
                onClick={() => props.actions.remove(c.id)}
              >
                Delete
              </button>
              <button type="button" className={linkButton} onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <>
              {(c.motivation === 'commenting' || c.body) && (
                <button type="button" className={linkButton} data-testid="comment.edit" onClick={() => setEditing(true)}>
                  Edit
                </button>
              )}
              <button type="button" className={linkButton} data-testid="comment.delete" onClick={() => setConfirming(true)}>
                Delete
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** A thread in the commentary pane: the quoted passage, the comment, its replies, reply box and resolve. */
export function ThreadCard(props: ThreadCardProps) {
  const { thread, where, active } = props;
  const { root, replies } = thread;
  const [replying, setReplying] = useState(false);
  const resolved = root.status === 'resolved';
  const { replyRequest } = props;
  useEffect(() => {
    if (replyRequest) setReplying(true);
  }, [replyRequest]);

  return (
    <li
      id={`thread-${root.id}`}
      data-testid="thread"
      data-thread-id={root.id}
      data-status={root.status}
      data-motivation={root.motivation}
      className={`rounded-lg border bg-[var(--surface)] p-3 shadow-sm ${
        active ? 'border-[var(--accent)] ring-1 ring-[var(--accent)]' : 'border-[var(--border)]'
      } ${resolved ? 'opacity-75' : ''}`}
      style={{ borderLeft: `4px solid ${root.author.color}` }}
    >
      <div className="mb-2 flex items-center justify-between gap-2">
        <button
          type="button"
          className="truncate text-left text-xs font-medium text-[var(--text-muted)] hover:text-[var(--text)] hover:underline"
          onClick={() => props.actions.jumpTo(root)}
          data-testid="thread.where"
        >
          {where}
        </button>
        {resolved && (
          <span className="shrink-0 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
            Resolved
          </span>
        )}
      </div>
      {root.target && (
        <blockquote
          className="mb-2 cursor-pointer border-l-2 pl-2 font-serif text-sm italic text-[var(--text)]"
          style={{ borderColor: root.author.color }}
          onClick={() => props.actions.jumpTo(root)}
          data-testid="thread.quote"
        >
          “{root.target.exact.length > 280 ? `${root.target.exact.slice(0, 280)}…` : root.target.exact}”
        </blockquote>
      )}
      <CommentView c={root} isRoot props={props} />
      {replies.length > 0 && (
        <ol className="mt-3 space-y-3 border-l border-[var(--border)] pl-3" aria-label="Replies">
          {replies.map((r) => (
            <li key={r.id}>
              <CommentView c={r} isRoot={false} props={props} />
            </li>
          ))}
        </ol>
      )}
      {props.canWrite && (
        <div className="mt-2">
          {replying ? (
            <Composer
              context={null}
              submitLabel="Reply"
              autoFocus
              mentionNames={props.mentionNames}
              tagSuggestions={props.tagSuggestions}
              testId="thread.reply-form"
              onTyping={props.actions.typing}
              onSubmit={(body, tags) => {
                props.actions.reply(root.id, body, tags);
                setReplying(false);
              }}
              onCancel={() => setReplying(false)}
            />
          ) : (
            <div className="flex gap-1">
              <button type="button" className={linkButton} data-testid="thread.reply-open" onClick={() => setReplying(true)}>
                Reply
              </button>
              <button
                type="button"
                className={linkButton}
                data-testid="thread.resolve"
                onClick={() => props.actions.resolve(root.id, !resolved)}
              >
                {resolved ? 'Reopen' : 'Resolve'}
              </button>
              {props.actions.addToBrief && (
                <button type="button" className={linkButton} data-testid="thread.add-to-brief" onClick={() => props.actions.addToBrief?.(thread)}>
                  Add to brief
                </button>
              )}
            </div>
          )}
        </div>
      )}
    </li>
  );
}
