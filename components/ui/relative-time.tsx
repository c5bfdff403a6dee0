'use client';

import { useEffect, useState } from 'react';

/** "just now", "5 min ago", "3 h ago", else a date. */
export function formatRelative(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

let subscribers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, refreshed every 30 s by one shared timer. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = () => setNow(Date.now());
    subscribers.add(tick);
    if (!timer) timer = setInterval(() => subscribers.forEach((f) => f()), 30_000);
    return () => {
      subscribers.delete(tick);
      if (!subscribers.size && timer) {
        clearInterval(timer);
        timer = null;
        subscribers = new Set();
      }
    };
  }, []);
  return now;
}

/** A <time> element that keeps its relative label fresh. */
export function RelativeTime({ ms }: { ms: number }) {
  const now = useNow();
  const iso = new Date(ms).toISOString();
  return (
    <time dateTime={iso} title={new Date(ms).toLocaleString()}>
      {formatRelative(ms, now)}
    </time>
  );
}
