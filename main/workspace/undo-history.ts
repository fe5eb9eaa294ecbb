import type { LearnedCategory } from './learned-category.js';

/** One undoable step: what each key it touched held before (undefined: it did not exist) and after. */
interface UndoStep {
  label: string;
  changes: { key: string; before: LearnedCategory | undefined; after: LearnedCategory | undefined }[];
}

/**
 * Undo for the designer's edits of one bot's workspace (edits, removals, review marks, imports). Each step records
 * only the categories it changed, so undoing it puts exactly those back and leaves alone whatever happened to other
 * categories since (a capture that came in meanwhile stays). Holds the latest `limit` steps.
 */
export class UndoHistory {
  private readonly steps: UndoStep[] = [];

  constructor(private readonly limit = 100) {}

  /** Records the difference between two states of the categories; a change that changed nothing is not a step. */
  record(label: string, before: ReadonlyMap<string, LearnedCategory>, after: ReadonlyMap<string, LearnedCategory>): void {
    const changes: UndoStep['changes'] = [];
    for (const [key, was] of before) {
      const now = after.get(key);
      if (now !== was) changes.push({ key, before: was, after: now });
    }
    for (const [key, now] of after) if (!before.has(key)) changes.push({ key, before: undefined, after: now });
    if (changes.length === 0) return;
    this.steps.push({ label, changes });
    if (this.steps.length > this.limit) this.steps.shift();
  }

  /** What Undo would undo, latest first. */
  labels(): string[] {
    return this.steps.map((s) => s.label).reverse();
  }

  /** Takes the latest step off the history, for `apply`. */
  pop(): UndoStep | undefined {
    return this.steps.pop();
  }

  /** Puts a popped step back (its undo could not be written). */
  push(step: UndoStep): void {
    this.steps.push(step);
  }

  /** Reverses a step on `categories`: every key it touched gets its earlier value back. */
  static apply(step: UndoStep, categories: Map<string, LearnedCategory>): void {
    for (const { key, before } of step.changes) {
      if (before === undefined) categories.delete(key);
      else categories.set(key, before);
    }
  }

  clear(): void {
    this.steps.length = 0;
  }
}

export type { UndoStep };
