/**
 * strftime formatting and parsing for <date> and <interval> (Pandorabots uses strftime formats), in any
 * IANA time zone or a fixed UTC offset, without a date library.
 */

export interface DateParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
  /** Offset from UTC in minutes for the zone at that instant. */
  offsetMinutes: number;
  zoneName: string;
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatterCache = new Map<string, Intl.DateTimeFormat>();

/** Accepts an IANA zone ("Europe/Paris"), "UTC", or an offset in hours ("-5", "+5:30", "5.5"). */
export function resolveTimeZone(zone: string | undefined): { iana?: string; offsetMinutes?: number } {
  if (zone === undefined || zone.trim() === '') return {};
  const z = zone.trim();
  const m = /^([+-]?)(\d{1,2})(?:[:.](\d{1,2}))?$/.exec(z);
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    const minutes = m[3] === undefined ? 0 : z.includes('.') ? Math.round(Number('0.' + m[3]) * 60) : Number(m[3]);
    return { offsetMinutes: sign * (Number(m[2]) * 60 + minutes) };
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
    return { iana: z };
  } catch {
    return {};
  }
}

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatterCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      timeZoneName: 'short',
    });
    formatterCache.set(key, f);
  }
  return f;
}

export function dateParts(epochMs: number, zone: string | undefined): DateParts {
  const resolved = resolveTimeZone(zone);
  if (resolved.offsetMinutes !== undefined) {
    const d = new Date(epochMs + resolved.offsetMinutes * 60_000);
    const off = resolved.offsetMinutes;
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
      offsetMinutes: off,
      zoneName: `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`,
    };
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(resolved.iana).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    weekday: WEEKDAY_INDEX[parts.weekday ?? 'Sun'] ?? 0,
    offsetMinutes: Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000),
    zoneName: parts.timeZoneName ?? 'UTC',
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Names {
  days: string[];
  shortDays: string[];
  months: string[];
  shortMonths: string[];
}

const ENGLISH: Names = { days: DAYS, shortDays: DAYS.map((d) => d.slice(0, 3)), months: MONTHS, shortMonths: MONTHS.map((m) => m.slice(0, 3)) };
const namesCache = new Map<string, Names>();

/**
 * Day and month names for a `locale` attribute ("fr", "de-DE", or Java's "de_DE" as Program AB bots write it).
 * English when no locale is given or the runtime does not know it.
 */
function namesFor(locale: string | undefined): Names {
  const tag = locale?.trim().replace(/_/g, '-');
  if (!tag) return ENGLISH;
  let names = namesCache.get(tag);
  if (names === undefined) {
    try {
      const name = (options: Intl.DateTimeFormatOptions, date: (i: number) => Date, count: number) => {
        const f = new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' });
        return Array.from({ length: count }, (_, i) => f.format(date(i)));
      };
      // 1 January 2023 was a Sunday.
      const day = (i: number) => new Date(Date.UTC(2023, 0, 1 + i));
      const month = (i: number) => new Date(Date.UTC(2023, i, 15));
      names = {
        days: name({ weekday: 'long' }, day, 7),
        shortDays: name({ weekday: 'short' }, day, 7),
        months: name({ month: 'long' }, month, 12),
        shortMonths: name({ month: 'short' }, month, 12),
      };
    } catch {
      names = ENGLISH;
    }
    // A bot's templates name few locales; the cap only guards against a template that builds locale names from input.
    if (namesCache.size < 100) namesCache.set(tag, names);
  }
  return names;
}

const pad = (n: number, width = 2, fill = '0') => String(n).padStart(width, fill);

function dayOfYear(p: DateParts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
}

function weekOfYear(p: DateParts, firstDay: 0 | 1): number {
  const yday = dayOfYear(p) - 1;
  const wday = (p.weekday - firstDay + 7) % 7;
  return Math.floor((yday + 7 - wday) / 7);
}

export const DEFAULT_DATE_FORMAT = '%c';

/** Formats a date the way C's strftime does; day and month names in `locale` (default English). */
export function strftime(format: string, p: DateParts, locale?: string): string {
  const names = namesFor(locale);
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%' || i + 1 >= format.length) {
      out += c;
      continue;
    }
    let d = format[++i]!;
    // Glibc flags: %-d (no padding) and %_d (space padding).
    let padMode: 'zero' | 'none' | 'space' = 'zero';
    if ((d === '-' || d === '_' || d === '#') && i + 1 < format.length) {
      padMode = d === '-' ? 'none' : d === '_' ? 'space' : 'zero';
      d = format[++i]!;
    }
    const num = (n: number, width = 2) => (padMode === 'none' ? String(n) : pad(n, width, padMode === 'space' ? ' ' : '0'));
    const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
    switch (d) {
      case 'a': out += names.shortDays[p.weekday]!; break;
      case 'A': out += names.days[p.weekday]!; break;
      case 'b': case 'h': out += names.shortMonths[p.month - 1]!; break;
      case 'B': out += names.months[p.month - 1]!; break;
      case 'c': out += strftime('%a %b %e %H:%M:%S %Y', p, locale); break;
      case 'C': out += num(Math.floor(p.year / 100)); break;
      case 'd': out += num(p.day); break;
      case 'D': out += strftime('%m/%d/%y', p); break;
      case 'e': out += padMode === 'none' ? String(p.day) : pad(p.day, 2, ' '); break;
      case 'F': out += strftime('%Y-%m-%d', p); break;
      case 'H': out += num(p.hour); break;
      case 'I': out += num(hour12); break;
      case 'j': out += num(dayOfYear(p), 3); break;
      case 'k': out += pad(p.hour, 2, ' '); break;
      case 'l': out += pad(hour12, 2, ' '); break;
      case 'm': out += num(p.month); break;
      case 'M': out += num(p.minute); break;
      case 'n': out += '\n'; break;
      case 'p': out += p.hour < 12 ? 'AM' : 'PM'; break;
      case 'P': out += p.hour < 12 ? 'am' : 'pm'; break;
      case 'r': out += strftime('%I:%M:%S %p', p); break;
      case 'R': out += strftime('%H:%M', p); break;
      case 'S': out += num(p.second); break;
      case 't': out += '\t'; break;
      case 'T': out += strftime('%H:%M:%S', p); break;
      case 'u': out += String(p.weekday === 0 ? 7 : p.weekday); break;
      case 'U': out += num(weekOfYear(p, 0)); break;
      case 'w': out += String(p.weekday); break;
      case 'W': out += num(weekOfYear(p, 1)); break;
      case 'x': out += strftime('%m/%d/%y', p); break;
      case 'X': out += strftime('%H:%M:%S', p); break;
      case 'y': out += num(p.year % 100); break;
      case 'Y': out += String(p.year); break;
      case 'z': {
        const abs = Math.abs(p.offsetMinutes);
        out += (p.offsetMinutes < 0 ? '-' : '+') + pad(Math.floor(abs / 60)) + pad(abs % 60);
        break;
      }
      case 'Z': out += p.zoneName; break;
      case '%': out += '%'; break;
      default: out += '%' + d;
    }
  }
  return out;
}

/**
 * Parses `text` with a strftime `format` (the directives a date is written with: %Y %y %m %B %b %d %e %H
 * %I %M %S %p %A %a). Returns a UTC day-precision timestamp, or undefined when the text does not fit.
 * Missing parts default to the `reference` date's (so "December 25" means this year's).
 */
export function strptime(text: string, format: string, reference: DateParts): number | undefined {
  let year = reference.year;
  let month = reference.month;
  let day = reference.day;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let pm: boolean | undefined;
  let t = 0;
  const s = text.trim();
  const skipSpaces = () => {
    while (t < s.length && /\s/.test(s[t]!)) t++;
  };
  const number = (maxDigits: number): number | undefined => {
    skipSpaces();
    const m = new RegExp(`^\\d{1,${maxDigits}}`).exec(s.slice(t));
    if (!m) return undefined;
    t += m[0].length;
    return Number(m[0]);
  };
  const name = (names: string[]): number | undefined => {
    skipSpaces();
    const rest = s.slice(t).toLowerCase();
    for (let i = 0; i < names.length; i++) {
      const full = names[i]!.toLowerCase();
      if (rest.startsWith(full)) {
        t += full.length;
        return i;
      }
    }
    for (let i = 0; i < names.length; i++) {
      const short = names[i]!.slice(0, 3).toLowerCase();
      if (rest.startsWith(short)) {
        t += 3;
        return i;
      }
    }
    return undefined;
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%' && i + 1 < format.length) {
      let d = format[++i]!;
      if (d === '-' && i + 1 < format.length) d = format[++i]!;
      let v: number | undefined;
      switch (d) {
        case 'Y': v = number(4); if (v !== undefined) year = v; break;
        case 'y': v = number(2); if (v !== undefined) year = v < 69 ? 2000 + v : 1900 + v; break;
        case 'm': v = number(2); if (v !== undefined) month = v; break;
        case 'B': case 'b': case 'h': v = name(MONTHS); if (v !== undefined) month = v + 1; break;
        case 'd': case 'e': v = number(2); if (v !== undefined) day = v; break;
        case 'H': v = number(2); if (v !== undefined) hour = v; break;
        case 'I': v = number(2); if (v !== undefined) hour = v % 12; break;
        case 'M': v = number(2); if (v !== undefined) minute = v; break;
        case 'S': v = number(2); if (v !== undefined) second = v; break;
        case 'A': case 'a': v = name(DAYS); break;
        case 'p': {
          skipSpaces();
          const ap = s.slice(t, t + 2).toUpperCase();
          if (ap === 'AM' || ap === 'PM') {
            pm = ap === 'PM';
            t += 2;
            v = 0;
          }
          break;
        }
        case '%': v = s[t] === '%' ? (t++, 0) : undefined; break;
        default: v = 0;
      }
      if (v === undefined) return undefined;
    } else if (/\s/.test(c)) {
      skipSpaces();
    } else {
      skipSpaces();
      if (s[t]?.toLowerCase() !== c.toLowerCase()) return undefined;
      t++;
    }
  }
  if (pm) hour += 12;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Whole units between two UTC timestamps, counted the way people count birthdays and anniversaries. */
export function intervalBetween(fromMs: number, toMs: number, style: string): number {
  const a = new Date(fromMs);
  const b = new Date(toMs);
  const sign = toMs >= fromMs ? 1 : -1;
  const [lo, hi] = sign > 0 ? [a, b] : [b, a];
  const months = () => {
    let m = (hi.getUTCFullYear() - lo.getUTCFullYear()) * 12 + (hi.getUTCMonth() - lo.getUTCMonth());
    const loRest = ((lo.getUTCDate() * 24 + lo.getUTCHours()) * 60 + lo.getUTCMinutes()) * 60 + lo.getUTCSeconds();
    const hiRest = ((hi.getUTCDate() * 24 + hi.getUTCHours()) * 60 + hi.getUTCMinutes()) * 60 + hi.getUTCSeconds();
    if (hiRest < loRest) m--;
    return m;
  };
  const diff = Math.abs(toMs - fromMs);
  switch (style.trim().toLowerCase()) {
    case 'years':
    case 'year':
      return sign * Math.floor(months() / 12);
    case 'months':
    case 'month':
      return sign * months();
    case 'weeks':
    case 'week':
      return sign * Math.floor(diff / (7 * 86_400_000));
    case 'hours':
    case 'hour':
      return sign * Math.floor(diff / 3_600_000);
    case 'minutes':
    case 'minute':
      return sign * Math.floor(diff / 60_000);
    case 'seconds':
    case 'second':
      return sign * Math.floor(diff / 1000);
    default:
      return sign * Math.floor(diff / 86_400_000);
  }
}
