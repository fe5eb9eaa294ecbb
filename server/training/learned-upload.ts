import { LIVE_TRAINING_FILE, parseCategories, type ParsedCategory } from '../../aiml/index.js';
import { decodeXmlBytes } from '../../aiml/encoding.js';
import type { DesignerRef } from '../../protocol/conversation.js';
import type { LearnedCategory, LearnedFields } from '../../protocol/learned.js';
import { checkFields, sameKey } from './learned-fields.js';
import type { LearnedService } from './learned-service.js';
import type { LearnedStore } from './learned-store.js';
import type { LiveLearned } from './live-learned.js';

/** Who an upload through the Pandorabots API is recorded as, in each category's history. */
export const API_UPLOADER: DesignerRef = { id: 'pandorabots-api', name: 'Pandorabots API upload' };

/** One category of an upload that was not applied, and why (the Platform's version is kept). */
export interface UploadConflict {
  pattern: string;
  that: string;
  topic: string;
  /** 1-based line of the category in the uploaded file. */
  line: number;
  message: string;
}

export interface LearnedUploadOutcome {
  added: number;
  updated: number;
  unchanged: number;
  conflicts: UploadConflict[];
  /** The operation id: `undo` of it takes the whole upload back. */
  opId: string;
}

export interface LearnedUploadDeps {
  store: LearnedStore;
  service: LearnedService;
  live: Pick<LiveLearned, 'writeNow'>;
  newId: () => string;
}

/**
 * A `pand_livetraining.aiml` uploaded to the Platform (the Pandorabots API's PUT, which Studio's "Publish to this
 * Platform" uses) is imported into the bot's learned categories instead of being stored as a file beside them: the
 * next learned change rewrites the file from the learned store, so categories that only lived in an uploaded file were
 * lost. Each category is new, or an update of the learned category with the same pattern, that and topic; one whose
 * uploaded answer is an older version of a category changed on the Platform since is a conflict (the Platform's
 * version stays). Learned categories absent from the file stay too: an upload never deletes. The file is rewritten
 * from the store before the upload is answered, so a verify right after it always compiles the Platform's own file
 * (left out of the compiled bot: the learned layer serves those categories) and never the uploaded bytes.
 */
export class LearnedUpload {
  constructor(private readonly d: LearnedUploadDeps) {}

  /** The categories of an uploaded file, or undefined when it is not a well-formed AIML file (stored as given then). */
  static parse(content: Uint8Array): ParsedCategory[] | undefined {
    const parsed = parseCategories(decodeXmlBytes(content).text, LIVE_TRAINING_FILE);
    return parsed.diagnostics.some((d) => d.severity === 'error') ? undefined : parsed.categories;
  }

  async upload(bot: string, categories: readonly ParsedCategory[]): Promise<LearnedUploadOutcome> {
    const opId = `upload:${this.d.newId()}`;
    const outcome = await this.d.service.serial(bot, () => this.importInTurn(bot, categories, opId));
    await this.d.live.writeNow(bot);
    return outcome;
  }

  /**
   * A DELETE of the bot's `pand_livetraining.aiml`: the file is the approved set, so its categories are deleted, as one
   * operation (each with its history; `undo` of `opId` brings them all back). Drafts stay.
   */
  async remove(bot: string): Promise<{ deleted: number; opId: string }> {
    const opId = `upload-delete:${this.d.newId()}`;
    const deleted = await this.d.service.serial(bot, async () => {
      const approved = (await this.d.store.all(bot)).filter((c) => c.status === 'approved');
      let plan: ReturnType<LearnedService['planOf']> | undefined;
      for (const c of approved) {
        const one = this.d.service.planOf(API_UPLOADER, opId, 'delete', c, null, plan?.commit);
        plan = plan ? { ...one, removed: [...plan.removed, c.id], approvedChanged: true } : one;
      }
      if (plan) await this.d.service.commit(API_UPLOADER, bot, 'delete', opId, plan);
      return approved.length;
    });
    await this.d.live.writeNow(bot);
    return { deleted, opId };
  }

  private async importInTurn(bot: string, categories: readonly ParsedCategory[], opId: string): Promise<LearnedUploadOutcome> {
    const { service, store } = this.d;
    const outcome: LearnedUploadOutcome = { added: 0, updated: 0, unchanged: 0, conflicts: [], opId };
    // A later category with the same pattern, that and topic wins, as when the file loads.
    const byKey = new Map<string, ParsedCategory>();
    for (const c of categories) byKey.set(keyOf(fieldsOf(c)), c);
    let plan: ReturnType<LearnedService['planOf']> | undefined;
    const add = (before: LearnedCategory | null, after: LearnedCategory) => {
      const one = service.planOf(API_UPLOADER, opId, 'import', before, after, plan?.commit);
      plan = plan ? { ...one, categories: [...plan.categories, after], approvedChanged: plan.approvedChanged || one.approvedChanged } : one;
    };
    for (const parsed of byKey.values()) {
      const fields = fieldsOf(parsed);
      const refuse = (message: string) => outcome.conflicts.push({ pattern: fields.pattern, that: fields.that, topic: fields.topic, line: parsed.line, message });
      try {
        checkFields(fields);
      } catch (error) {
        refuse(`${fields.pattern} (line ${parsed.line}): ${(error as Error).message}`);
        continue;
      }
      const existing = await store.byKey(bot, fields);
      if (!existing) {
        add(null, service.newCategory(API_UPLOADER, bot, fields, undefined, 'approved'));
        outcome.added++;
        continue;
      }
      if (existing.template === fields.template) {
        // A draft stays a draft: with "Review learned answers before the bot uses them" approving is the reviewer's.
        outcome.unchanged++;
        continue;
      }
      const older = await this.olderVersion(bot, existing, fields.template);
      if (older) {
        refuse(
          `${fields.pattern}${fields.that !== '*' ? ` (after ${fields.that})` : ''}: changed on the Platform since this file was made (by ${existing.updatedBy.name}, ${new Date(existing.updatedAt).toISOString()}): the Platform's answer "${existing.template.slice(0, 80)}" is kept; edit it in Training to change it.`,
        );
        continue;
      }
      add(existing, service.changed(API_UPLOADER, existing, { template: fields.template }));
      outcome.updated++;
    }
    if (plan) await service.commit(API_UPLOADER, bot, 'import', opId, plan);
    return outcome;
  }

  /** Whether `template` was the answer of an earlier version of `current` (the uploader's copy is older than the Platform's). */
  private async olderVersion(bot: string, current: LearnedCategory, template: string): Promise<boolean> {
    const history = await this.d.store.history(bot, { categoryId: current.id, limit: 1000 });
    return history.some((e) => e.before !== null && sameKey(e.before, current) && e.before.template === template);
  }
}

function fieldsOf(c: ParsedCategory): LearnedFields {
  return { pattern: squash(c.pattern), that: squash(c.that ?? '*'), topic: squash(c.topic ?? '*'), template: c.template };
}

function squash(text: string): string {
  return text.trim().replace(/\s+/g, ' ') || '*';
}

function keyOf(f: LearnedFields): string {
  return `${f.pattern}\u0000${f.that}\u0000${f.topic}`;
}
