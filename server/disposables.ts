/**
 * Teardown in one place: each part is added as it starts, and dispose() closes them in reverse (the last started
 * is the first stopped, so nothing is closed while a part that uses it still runs). A part that fails to close does
 * not stop the others: every failure is reported, then thrown together.
 */
export class Disposables {
  private readonly parts: { name: string; dispose: () => void | Promise<void> }[] = [];
  private disposing: Promise<void> | undefined;

  /** `onError` hears each failure as it happens (to log it with its part's name). */
  constructor(private readonly onError: (name: string, error: unknown) => void = () => undefined) {}

  /** Adds a part that has just started; `name` says which part failed, should it fail to close. */
  add(name: string, dispose: () => void | Promise<void>): void {
    if (this.disposing) throw new Error(`cannot add ${name}: already disposing`);
    this.parts.push({ name, dispose });
  }

  /** Closes every part in reverse order of adding. Called twice, it closes once. */
  dispose(): Promise<void> {
    return (this.disposing ??= this.disposeAll());
  }

  private async disposeAll(): Promise<void> {
    const failures: { name: string; error: unknown }[] = [];
    for (const part of [...this.parts].reverse()) {
      try {
        await part.dispose();
      } catch (error) {
        failures.push({ name: part.name, error });
        this.onError(part.name, error);
      }
    }
    if (failures.length > 0) {
      throw new AggregateError(
        failures.map((f) => f.error),
        `${failures.length === 1 ? 'one part' : `${failures.length} parts`} failed to close: ${failures.map((f) => f.name).join(', ')}`,
      );
    }
  }
}
