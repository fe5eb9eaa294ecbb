/**
 * Whether a bench:platform run fits the open-files limit of each process it starts: every user's socket is a file
 * in the load generator process that holds it and in the Platform instance that serves it. The limit is per process
 * (this machine: 20,000 soft and hard), so the users are spread over generator processes and the conversations over
 * instances; this says, before anything starts, when even that cannot fit and what to run instead.
 */
import { readFileSync } from 'node:fs';

/** A process's own files besides the users' sockets: designers, database connections, data files, listeners, tsx. */
export const PROCESS_FILES = 200;

export interface OpenFilesLimits {
  soft: number;
  hard: number;
}

/** The open-files limits (soft, hard) of this process on Linux (children inherit them); undefined elsewhere. */
export function openFilesLimits(): OpenFilesLimits | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [, soft, hard] = line?.split(/\s{2,}/) ?? [];
    const n = (v: string | undefined) => (v === undefined || v === 'unlimited' ? Infinity : Number(v));
    return { soft: n(soft), hard: n(hard) };
  } catch {
    return undefined;
  }
}

export interface FilesPlan {
  conversations: number;
  /** Platform processes the conversations are spread over; `sqlite`: one process that cannot be more. */
  instances: number;
  sqlite: boolean;
  /** Load generator processes holding the users; 0: the bench's own process holds them. */
  generators: number;
}

const raiseHint = (needed: number, limits: OpenFilesLimits) =>
  needed <= limits.hard ? `, or raise the soft limit first (ulimit -n ${Number.isFinite(limits.hard) ? limits.hard : needed})` : '';

/** What does not fit, said with what to run instead; undefined when every process fits. */
export function openFilesProblem(plan: FilesPlan, limits: OpenFilesLimits): string | undefined {
  const { conversations, instances, generators } = plan;
  const usable = limits.soft - PROCESS_FILES;
  const perInstance = Math.ceil(conversations / instances) + PROCESS_FILES;
  if (perInstance > limits.soft) {
    const enough = Math.ceil(conversations / usable);
    if (plan.sqlite) {
      return `SQLite ×1 serves all ${conversations} conversations from one Platform process, which needs about ${perInstance} open files, and the limit is ${limits.soft} per process (hard ${limits.hard}): run them on PostgreSQL over ${Math.max(2, enough)} instances (--database throwaway --instances ${Math.max(2, enough)})${raiseHint(perInstance, limits)}`;
    }
    return `PostgreSQL ×${instances}: ${Math.ceil(conversations / instances)} conversations per Platform instance need about ${perInstance} open files each, and the limit is ${limits.soft} per process (hard ${limits.hard}): use --instances ${enough}${raiseHint(perInstance, limits)}`;
  }
  const perGenerator = Math.ceil(conversations / Math.max(1, generators)) + PROCESS_FILES;
  if (perGenerator > limits.soft) {
    const where = generators === 0 ? "the bench's own process" : generators === 1 ? 'its one load generator process' : `each of ${generators} load generator processes`;
    return `${conversations} users need about ${perGenerator} open files in ${where}, and the limit is ${limits.soft} per process (hard ${limits.hard}): use --generators ${Math.ceil(conversations / usable)} or more${raiseHint(perGenerator, limits)}`;
  }
  return undefined;
}
