// Creating an Intl formatter costs far more than using one: keep one per locale and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

const FULL: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** "25 Nov 2026, 15:30": the exact time, for tooltips. */
export function fullDateTime(at: number, locale?: string): string {
  return formatter(locale, FULL).format(at);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "now", "3 min", "2 h", "yesterday", "Mon", "12 Mar", "2 Oct 2025": short enough for a list row. Written out by
 * hand in the UI's language rather than with Intl, whose first use costs tens of milliseconds: the inbox's first
 * render must stay under 100 ms.
 */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 45) return 'now';
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  if (isYesterday(at, now)) return 'yesterday';
  const date = new Date(at);
  if (hours < 24 * 6) return WEEKDAYS[date.getDay()]!;
  const dayMonth = `${date.getDate()} ${MONTHS[date.getMonth()]}`;
  return date.getFullYear() === new Date(now).getFullYear() ? dayMonth : `${dayMonth} ${date.getFullYear()}`;
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
  const time = formatter(locale, { hour: '2-digit', minute: '2-digit' }).format(at);
  return sameDay(at, now) ? time : `${formatter(locale, { day: 'numeric', month: 'short' }).format(at)} ${time}`;
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
