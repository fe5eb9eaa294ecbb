import { describe, expect, it } from 'vitest';
import { describeOriginPolicy, normaliseOrigin, originAllowed } from '../../../server/chat/origin-policy.js';

describe('the Chat Widget origin policy', () => {
  it('allows any site with "*", the Platform’s own pages always, and otherwise only exact listed origins', () => {
    expect(originAllowed('https://anything.example', 'platform:8080', ['*'])).toBe(true);
    expect(originAllowed('http://platform:8080', 'platform:8080', [])).toBe(true);
    expect(originAllowed('https://shop.example', 'platform:8080', ['https://shop.example'])).toBe(true);
    expect(originAllowed('https://shop.example.evil.example', 'platform:8080', ['https://shop.example'])).toBe(false);
    expect(originAllowed('null', 'platform:8080', ['https://shop.example'])).toBe(false);
  });

  it('normalises what an owner types to scheme://host[:port] and refuses anything that is not an origin', () => {
    expect(normaliseOrigin(' HTTPS://Shop.Example/ ')).toBe('https://shop.example');
    expect(normaliseOrigin('http://127.0.0.1:8081')).toBe('http://127.0.0.1:8081');
    expect(normaliseOrigin('https://shop.example:443')).toBe('https://shop.example');
    expect(() => normaliseOrigin('shop.example')).toThrow('is not an origin');
    expect(() => normaliseOrigin('https://shop.example/cart')).toThrow('give only https://shop.example');
    expect(() => normaliseOrigin('javascript:alert(1)')).toThrow('must start with https:// or http://');
  });

  it('says what the list means in words', () => {
    expect(describeOriginPolicy('starter', ['*'])).toBe('The Chat Widget of starter works on any site.');
    expect(describeOriginPolicy('starter', [])).toContain('works on no other site');
    expect(describeOriginPolicy('starter', ['https://a.example'])).toContain('works only on these sites');
  });
});
