import { initials } from '@/lib/presence/palette';

/** A round avatar with initials on the analyst's colour (white on each palette colour passes AA). */
export function Avatar({
  name,
  color,
  size = 'md',
  ring = false,
  title,
}: {
  name: string;
  color: string;
  size?: 'sm' | 'md';
  ring?: boolean;
  title?: string;
}) {
  const dims = size === 'sm' ? 'h-6 w-6 text-[10px]' : 'h-8 w-8 text-xs';
  return (
    <span
      className={`inline-flex shrink-0 select-none items-center justify-center rounded-full font-semibold text-white ${dims} ${
        ring ? 'ring-2 ring-[var(--surface)]' : ''
      }`}
      style={{ backgroundColor: color }}
      title={title ?? name}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}
