import { describe, expect, it } from 'vitest';
import {
  checkBaseName,
  displayNameOf,
  fileRefFromApi,
  fileRefFromRelativePath,
  relativePathOf,
} from '../../../../server/bots/bot-file-names.js';

describe('bot file names', () => {
  it('accepts the names Pandorabots allows and the platform files pand_livetraining and pand_learn', () => {
    expect(fileRefFromApi('file', 'greetings.aiml')).toEqual({ kind: 'file', name: 'greetings' });
    expect(fileRefFromApi('file', 'pand_livetraining.aiml')).toEqual({ kind: 'file', name: 'pand_livetraining' });
    expect(fileRefFromApi('set', 'colors2')).toEqual({ kind: 'set', name: 'colors2' });
    expect(fileRefFromApi('properties', undefined)).toEqual({ kind: 'properties', name: '' });
  });

  it.each([
    ['..', 'a parent directory'],
    ['../../etc/passwd', 'a path'],
    ['a/b', 'a slash'],
    ['a\\b', 'a backslash'],
    ['bad\u0000name', 'a NUL byte'],
    ['Upper', 'upper case'],
    ['caf\u00e9', 'non-ASCII'],
    ['\u0430bc', 'a Cyrillic look-alike'],
    ['-rf', 'a leading dash'],
    ['.hidden', 'a leading dot'],
    ['a.b', 'an inner dot'],
    ['', 'an empty name'],
    ['x'.repeat(65), 'more than 64 characters'],
    ['con', 'a Windows device name'],
    ['lpt1', 'a Windows device name'],
  ])('refuses %j (%s)', (name) => {
    expect(() => checkBaseName(name)).toThrow(expect.objectContaining({ code: 'bad_file_name' }));
    expect(() => fileRefFromApi('set', name)).toThrow(expect.objectContaining({ code: 'bad_file_name' }));
    expect(() => fileRefFromApi('file', `${name}.aiml`)).toThrow(expect.objectContaining({ code: 'bad_file_name' }));
  });

  it('requires AIML names to end in .aiml and system files to take no name', () => {
    expect(() => fileRefFromApi('file', 'greetings')).toThrow(/must end in \.aiml/);
    expect(() => fileRefFromApi('properties', 'x')).toThrow(/no file name/);
    expect(() => fileRefFromApi('map', undefined)).toThrow(/needs a name/);
  });

  it('places each kind in its Pandorabots folder and back', () => {
    const cases = [
      [{ kind: 'file', name: 'a' }, 'aiml/a.aiml', 'a.aiml'],
      [{ kind: 'set', name: 'colors' }, 'sets/colors.set', 'colors.set'],
      [{ kind: 'map', name: 'm' }, 'maps/m.map', 'm.map'],
      [{ kind: 'substitution', name: 'normal' }, 'substitutions/normal.substitution', 'normal.substitution'],
      [{ kind: 'properties', name: '' }, 'system/mybot.properties', 'mybot.properties'],
      [{ kind: 'pdefaults', name: '' }, 'system/mybot.pdefaults', 'mybot.pdefaults'],
    ] as const;
    for (const [ref, path, display] of cases) {
      expect(relativePathOf('mybot', ref)).toBe(path);
      expect(displayNameOf('mybot', ref)).toBe(display);
      expect(fileRefFromRelativePath('mybot', path)).toEqual(ref);
    }
    expect(fileRefFromRelativePath('mybot', 'system/otherbot.properties')).toBeUndefined();
    expect(fileRefFromRelativePath('mybot', 'aiml/Bad.aiml')).toBeUndefined();
  });
});
