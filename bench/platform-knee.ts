/**
 * The knee of a configuration: the highest offered rate of user messages whose p99 user→designer latency stays
 * under 50 ms (issue 12). The rate goes up by a factor (1.25) a step while the steps pass; when the first rate
 * tried already fails, it goes down instead until one passes. A step passes when its p99 is under the limit and the
 * rate was really carried (sustained at least 95 % of offered: a closed loop whose users are all waiting offers less
 * than asked, and its latency then says nothing about the rate asked). On a shared machine one step can miss
 * because other work took the cores for a moment: a failed step is measured once more at the same rate, and only a
 * second miss ends the search (both are kept in the steps).
 */
export const KNEE_P99_MS = 50;
export const KEPT_UP = 0.95;

export interface StepFigures {
  offered: number;
  sustained: number;
  /** p99 user→designer, ms (NaN when nothing reached a designer: that fails). */
  designerP99: number;
}

export function passes(step: StepFigures): boolean {
  return step.designerP99 < KNEE_P99_MS && step.sustained >= KEPT_UP * step.offered;
}

export interface KneeSearch<T extends StepFigures> {
  steps: T[];
  /** Highest passing offered rate; undefined when no step passed. */
  knee: number | undefined;
}

export async function findKnee<T extends StepFigures>(options: { startRate: number; factor: number; maxSteps: number; measure: (rate: number) => Promise<T> }): Promise<KneeSearch<T>> {
  const { startRate, factor, maxSteps, measure } = options;
  if (!(factor > 1)) throw new Error('the knee search needs a factor above 1');
  const steps: T[] = [];
  /** Whether `rate` passes, measured once more after a miss (while steps remain). */
  const tryRate = async (rate: number): Promise<boolean> => {
    const step = await measure(rate);
    steps.push(step);
    if (passes(step) || steps.length >= maxSteps) return passes(step);
    const again = await measure(rate);
    steps.push(again);
    return passes(again);
  };
  if (await tryRate(startRate)) {
    let knee = startRate;
    for (let rate = Math.round(startRate * factor); steps.length < maxSteps; rate = Math.round(rate * factor)) {
      if (!(await tryRate(rate))) break;
      knee = rate;
    }
    return { steps, knee };
  }
  for (let rate = Math.round(startRate / factor); steps.length < maxSteps && rate >= 1; rate = Math.round(rate / factor)) {
    if (await tryRate(rate)) return { steps, knee: rate };
  }
  return { steps, knee: undefined };
}
