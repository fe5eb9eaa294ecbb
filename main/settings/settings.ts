import { StudioSettings } from './schema.js';

/**
 * The port Studio's settings sit on. `conf` and `electron-store` both satisfy it through their `store` property
 * (the whole object, read and replaced at once, written atomically by the library).
 */
export interface SettingsStore {
  readonly path: string;
  store: Record<string, unknown>;
}

export type SettingsListener = (next: StudioSettings, previous: StudioSettings) => void;

/** Typed, validated access to Studio's settings with change notification. */
export class Settings {
  private current: StudioSettings;
  private readonly listeners = new Set<SettingsListener>();

  constructor(private readonly backing: SettingsStore) {
    this.current = StudioSettings.parse(backing.store);
  }

  get path(): string {
    return this.backing.path;
  }

  get(): StudioSettings {
    return this.current;
  }

  /** Applies a change; a value the schema refuses throws and nothing is written. */
  update(change: Partial<StudioSettings> | ((s: StudioSettings) => StudioSettings)): StudioSettings {
    const previous = this.current;
    const merged = typeof change === 'function' ? change(previous) : { ...previous, ...change };
    // `undefined` clears an optional key; JSON (and the store) must not see it.
    const next = StudioSettings.parse(withoutUndefined(merged));
    this.backing.store = next as Record<string, unknown>;
    this.current = next;
    for (const l of this.listeners) l(next, previous);
    return next;
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
