import { app, type Session } from 'electron';

/** Each language is a Hunspell dictionary loaded (and downloaded once) per session: a few are plenty. */
const MAX_LANGUAGES = 3;

/**
 * The spell-checker languages for the user's preferred languages, as Electron's list of available dictionaries
 * spells them: an exact match ('en-GB'), else the same language in another region ('de-AT' -> 'de-DE'), else the
 * bare language ('fr'). American English when nothing matches, so a misspelt word still gets suggestions.
 */
export function spellCheckerLanguages(preferred: string[], available: string[]): string[] {
  const byLower = new Map(available.map((code) => [code.toLowerCase(), code]));
  const chosen: string[] = [];
  for (const wanted of preferred) {
    const lower = wanted.toLowerCase();
    const base = lower.split('-')[0]!;
    const match = byLower.get(lower) ?? available.find((code) => code.toLowerCase().split('-')[0] === base);
    if (match && !chosen.includes(match)) chosen.push(match);
    if (chosen.length === MAX_LANGUAGES) break;
  }
  if (chosen.length === 0 && byLower.has('en-us')) chosen.push(byLower.get('en-us')!);
  return chosen;
}

/**
 * Windows and Linux use Chromium's own spell checker, which does not pick a language by itself; macOS uses the
 * system's (and ignores this).
 */
export function configureSpellChecker(session: Session, platform: NodeJS.Platform): void {
  if (platform === 'darwin') return;
  const languages = spellCheckerLanguages(app.getPreferredSystemLanguages(), session.availableSpellCheckerLanguages);
  if (languages.length) session.setSpellCheckerLanguages(languages);
}
