import { describe, expect, it } from 'vitest';
import { dateParts, intervalBetween, strftime, strptime } from '../../../aiml/date-format.js';
import { javaToStrftime } from '../../../aiml/template-compiler.js';
import { cat, chat } from './support.js';

const NOW = Date.UTC(2026, 0, 5, 9, 7, 3); // Monday 5 January 2026, 09:07:03 UTC

describe('date formatting', () => {
  it('formats strftime directives in UTC, an IANA zone and a fixed offset', () => {
    expect(strftime('%a %A %b %B %d %e %H %I %j %m %M %p %S %u %w %y %Y %%', dateParts(NOW, 'UTC'))).toBe('Mon Monday Jan January 05  5 09 09 005 01 07 AM 03 1 1 26 2026 %');
    expect(strftime('%H:%M %Z', dateParts(NOW, 'Asia/Tokyo'))).toMatch(/^18:07 /);
    expect(strftime('%H:%M %z', dateParts(NOW, '+5:30'))).toBe('14:37 +0530');
    expect(strftime('%-d/%-m', dateParts(NOW, 'UTC'))).toBe('5/1');
  });

  it('names days and months in the locale of the locale attribute, English by default or for an unknown locale', () => {
    const { say } = chat(
      cat('FR', '<date format="%A %d %B" locale="fr_FR" timezone="UTC"/>') +
        cat('DE', '<date><format>%A %B</format><locale>de</locale><timezone>UTC</timezone></date>') +
        cat('XX', '<date format="%A %B" locale="not a locale!" timezone="UTC"/>'),
    );
    expect(say('fr', { now: NOW })).toBe('lundi 05 janvier');
    expect(say('de', { now: NOW })).toBe('Montag Januar');
    expect(say('xx', { now: NOW })).toBe('Monday January');
  });

  it('translates Java date formats (Program AB jformat)', () => {
    expect(javaToStrftime("EEEE, MMMM dd yyyy 'at' h:mm a")).toBe('%A, %B %d %Y at %I:%M %p');
    const { say } = chat(cat('D', '<date jformat="yyyy-MM-dd" timezone="UTC"/>'));
    expect(say('d', { now: NOW })).toBe('2026-01-05');
  });

  it('parses dates written with a strftime format, defaulting missing parts to the reference date', () => {
    const ref = dateParts(NOW, 'UTC');
    expect(strptime('August 29, 2014', '%B %d, %Y', ref)).toBe(Date.UTC(2014, 7, 29));
    expect(strptime('December 25', '%B %d', ref)).toBe(Date.UTC(2026, 11, 25));
    expect(strptime('3:15 PM', '%I:%M %p', ref)).toBe(Date.UTC(2026, 0, 5, 15, 15));
    expect(strptime('not a date', '%B %d', ref)).toBeUndefined();
  });

  it('counts whole years, months, days and seconds between dates', () => {
    const from = Date.UTC(2014, 7, 29);
    expect(intervalBetween(from, Date.UTC(2026, 7, 28), 'years')).toBe(11);
    expect(intervalBetween(from, Date.UTC(2026, 7, 29), 'years')).toBe(12);
    expect(intervalBetween(from, Date.UTC(2014, 9, 1), 'months')).toBe(1);
    expect(intervalBetween(from, Date.UTC(2014, 8, 8), 'days')).toBe(10);
    expect(intervalBetween(Date.UTC(2014, 8, 8), from, 'days')).toBe(-10);
    expect(intervalBetween(from, from + 90_000, 'seconds')).toBe(90);
  });
});
