import { describe, expect, it } from 'vitest';
import { defaultDesignerName } from '../../../main/settings/designer-name.js';

describe('the local designer name Studio picks when the designer has not chosen one', () => {
  it('is never "root": an account that names nobody becomes "Designer"', () => {
    expect(defaultDesignerName('root')).toBe('Designer');
    expect(defaultDesignerName('Administrator')).toBe('Designer');
    expect(defaultDesignerName('')).toBe('Designer');
  });

  it("is the person's account name otherwise", () => {
    expect(defaultDesignerName('ada')).toBe('ada');
  });
});
