import { describe, expect, it } from 'vitest';
import { openFilesProblem } from '../../../bench/platform-files.js';
import { defaultGenerators, shares } from '../../../bench/platform-generator-shares.js';
import { measuredClientId, readMeasuredClientId } from '../../../bench/platform-user-group.js';

/** This machine's limit: 20,000 open files per process, soft and hard. */
const limits = { soft: 20_000, hard: 20_000 };

describe('bench:platform spreads 20,000 conversations over processes that each fit the open-files limit', () => {
  it('puts 20,000 users in 3 load generator processes of at most 9,000, and 5,000 in the bench itself', () => {
    expect(defaultGenerators(20_000)).toBe(3);
    expect(defaultGenerators(5_000)).toBe(0);
    const parts = shares(20_000, 3);
    expect(parts.map((p) => p.count)).toEqual([6666, 6667, 6667]);
    expect(parts.map((p) => p.first)).toEqual([0, 6666, 13333]);
  });

  it('runs 20,000 on PostgreSQL over 2 instances and 3 generators', () => {
    expect(openFilesProblem({ conversations: 20_000, instances: 2, sqlite: false, generators: 3 }, limits)).toBeUndefined();
  });

  it('says SQLite ×1 cannot hold 20,000 conversations in its one process, and what to run instead', () => {
    expect(openFilesProblem({ conversations: 20_000, instances: 1, sqlite: true, generators: 3 }, limits)).toBe(
      'SQLite ×1 serves all 20000 conversations from one Platform process, which needs about 20200 open files, and the limit is 20000 per process (hard 20000): run them on PostgreSQL over 2 instances (--database throwaway --instances 2)',
    );
  });

  it('asks for more instances when one PostgreSQL instance would hold too many', () => {
    expect(openFilesProblem({ conversations: 20_000, instances: 1, sqlite: false, generators: 3 }, limits)).toMatch(/: use --instances 2$/);
  });

  it('asks for more generators when --generators forces too few', () => {
    expect(openFilesProblem({ conversations: 20_000, instances: 2, sqlite: false, generators: 1 }, limits)).toMatch(/in its one load generator process.*: use --generators 2 or more$/);
    expect(openFilesProblem({ conversations: 20_000, instances: 2, sqlite: false, generators: 0 }, limits)).toMatch(/in the bench's own process/);
  });

  it('suggests raising the soft limit when the hard one would fit', () => {
    expect(openFilesProblem({ conversations: 5_000, instances: 1, sqlite: true, generators: 0 }, { soft: 1024, hard: 100_000 })).toMatch(/or raise the soft limit first \(ulimit -n 100000\)$/);
  });
});

describe("a measured message's clientId carries its send time to the designers in another process", () => {
  it('reads back the instance and the send time, within the Platform\'s 64 characters', () => {
    const sentAt = performance.timeOrigin + performance.now();
    const id = measuredClientId(2, 123_456_789, 1, sentAt);
    expect(id.length).toBeLessThanOrEqual(64);
    const read = readMeasuredClientId(id)!;
    expect(read.instance).toBe(1);
    expect(read.sentAt).toBeCloseTo(sentAt, 2);
  });

  it('ignores warm-up and foreign clientIds', () => {
    expect(readMeasuredClientId('w0-12')).toBeUndefined();
    expect(readMeasuredClientId('w17')).toBeUndefined();
    expect(readMeasuredClientId(undefined)).toBeUndefined();
    expect(readMeasuredClientId('m1-2.x.3')).toBeUndefined();
  });
});
