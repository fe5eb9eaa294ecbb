/**
 * One client's conversation state with a bot: predicates, the history that <input>, <request>,
 * <response> and <that> read, and the categories this client taught with <learn>.
 *
 * A Session is plain data and belongs to no Bot, so a Platform can keep using it after hot-swapping a newly
 * compiled Bot, and can persist it with toJSON()/Session.fromJSON().
 */

export interface LearnedCategorySource {
  /** XML fragments as in a file: pattern text may contain <set>name</set>. */
  pattern: string;
  that?: string;
  topic?: string;
  template: string;
}

export interface SessionJSON {
  version: 1;
  clientId: string;
  predicates: Record<string, string>;
  requests: string[];
  responses: string[];
  inputs: string[];
  learned: LearnedCategorySource[];
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export class Session {
  readonly predicates = new Map<string, string>();
  /** Whole user messages, oldest first (added once answered, like responses). */
  readonly requests: string[] = [];
  /** Whole bot replies, oldest first. */
  readonly responses: string[] = [];
  /** Normalised input sentences, oldest first (the sentence being answered is last). */
  readonly inputs: string[] = [];
  /** Categories learned by this client with <learn>, in the order learned. */
  readonly learned: LearnedCategorySource[] = [];
  /** Engine-private cache of the compiled learned categories, keyed by the bot that compiled them. */
  learnedCache: { owner: object; count: number; graph: unknown } | undefined;
  /** Engine-private cache of the last reply normalised as <that>. */
  thatCache: { owner: object; reply: string; words: string[] } | undefined;

  constructor(readonly clientId: string) {}

  /** Trims histories to `size` entries (called by the engine after each reply). */
  trimHistory(size: number): void {
    for (const list of [this.requests, this.responses, this.inputs]) {
      if (list.length > size) list.splice(0, list.length - size);
    }
  }

  /** Forgets predicates, history and learned categories (Pandorabots' `reset`). */
  reset(): void {
    this.predicates.clear();
    this.requests.length = 0;
    this.responses.length = 0;
    this.inputs.length = 0;
    this.learned.length = 0;
    this.learnedCache = undefined;
    this.thatCache = undefined;
  }

  toJSON(): SessionJSON {
    return {
      version: 1,
      clientId: this.clientId,
      predicates: Object.fromEntries(this.predicates),
      requests: [...this.requests],
      responses: [...this.responses],
      inputs: [...this.inputs],
      learned: this.learned.map((l) => ({ ...l })),
    };
  }

  /** Restores a session saved with toJSON(); throws an Error naming the first bad field. */
  static fromJSON(json: unknown): Session {
    const data = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<SessionJSON> | null;
    if (data === null || typeof data !== 'object') throw new Error('session JSON must be an object');
    if (data.version !== 1) throw new Error(`session JSON version ${String(data.version)} is not supported (expected 1)`);
    if (typeof data.clientId !== 'string') throw new Error('session JSON: clientId must be a string');
    const s = new Session(data.clientId);
    const predicates = data.predicates ?? {};
    if (typeof predicates !== 'object' || predicates === null) throw new Error('session JSON: predicates must be an object');
    for (const [k, v] of Object.entries(predicates)) {
      if (typeof v !== 'string') throw new Error(`session JSON: predicate '${k}' must be a string`);
      s.predicates.set(k, v);
    }
    for (const field of ['requests', 'responses', 'inputs'] as const) {
      const list = data[field] ?? [];
      if (!isStringArray(list)) throw new Error(`session JSON: ${field} must be an array of strings`);
      s[field].push(...list);
    }
    const learned = data.learned ?? [];
    if (!Array.isArray(learned)) throw new Error('session JSON: learned must be an array');
    for (const l of learned as unknown[]) {
      const c = l as Partial<LearnedCategorySource> | null;
      if (c === null || typeof c !== 'object' || typeof c.pattern !== 'string' || typeof c.template !== 'string') {
        throw new Error('session JSON: each learned category needs pattern and template strings');
      }
      const entry: LearnedCategorySource = { pattern: c.pattern, template: c.template };
      if (typeof c.that === 'string') entry.that = c.that;
      if (typeof c.topic === 'string') entry.topic = c.topic;
      s.learned.push(entry);
    }
    return s;
  }
}
