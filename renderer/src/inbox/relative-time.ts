/**
 * "now", "3 min", "2 h", "yesterday", "Mon", "12 Mar": short enough for a list row, exact on hover (the row
 * carries the full date in a title and a <time> element).
 */
export function relativeTime(at: number, now: number, locale?: string): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 45) return 'now';
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  if (isYesterday(at, now)) return 'yesterday';
  if (hours < 24 * 6) return new Date(at).toLocaleDateString(locale, { weekday: 'short' });
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return new Date(at).toLocaleDateString(locale, sameYear ? { day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' });
}

function sameDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

function isYesterday(at: number, now: number): boolean {
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  return sameDay(at, y.getTime());
}

/** "14:05" for a message time; with the date when it is not today. */
export function messageTime(at: number, now: number, locale?: string): string {
  const time = new Date(at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return sameDay(at, now) ? time : `${new Date(at).toLocaleDateString(locale, { day: 'numeric', month: 'short' })} ${time}`;
}

/** "4:59" / "1:02:03" for the hand-back countdown. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
