/**
 * One load generator process of bench:platform: it holds a share of the users (their sockets count against this
 * process's open-files limit, not the bench's) and drives them in the closed loop of bench/platform-user-group.ts at
 * the share of the rate the bench gives it. Started by bench/platform-generators.ts; every request comes over IPC
 * and is answered with the same id.
 */
import { machineNow, UserGroup, type GroupSpec } from './platform-user-group.js';

export type GeneratorRequest =
  | { id: number; type: 'open'; spec: GroupSpec }
  | { id: number; type: 'clock' }
  | { id: number; type: 'offer'; rate: number }
  | { id: number; type: 'start-window' }
  | { id: number; type: 'end-window' }
  | { id: number; type: 'report' }
  | { id: number; type: 'drain' }
  | { id: number; type: 'close' };

export type GeneratorReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

// The bench gone (ended, crashed or killed with SIGKILL) closes this channel: users left sending would hold a core.
process.on('disconnect', () => process.exit(0));
// Ctrl+C reaches the whole process group: the bench stops this process itself, after it has said why.
process.on('SIGINT', () => {});

let group: UserGroup | undefined;

function opened(): UserGroup {
  if (!group) throw new Error('the load generator was asked to drive users before it opened them');
  return group;
}

async function handle(request: GeneratorRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
    {
      const opening = new UserGroup(request.spec);
      group = opening;
      // Opening thousands takes a while: say how far it got.
      const progress = setInterval(() => process.stderr.write(`  load generator pid ${process.pid}: ${opening.opened} of ${opening.size} users open\n`), 10_000);
      try {
        await opening.open();
      } finally {
        clearInterval(progress);
      }
      return undefined;
    }
    case 'clock':
      return machineNow();
    case 'offer':
      return opened().offer(request.rate);
    case 'start-window':
      return opened().startWindow();
    case 'end-window':
      return opened().endWindow();
    case 'report':
      return opened().report();
    case 'drain':
      return opened().drain();
    case 'close':
      group?.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

process.on('message', (request: GeneratorRequest) => {
  handle(request).then(
    (value) => process.send!({ id: request.id, ok: true, value } satisfies GeneratorReply),
    (error: unknown) => process.send!({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies GeneratorReply),
  );
});
