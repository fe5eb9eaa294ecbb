import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileBot } from '../../../../aiml/index.js';
import { escapeXmlText } from '../../../../aiml/xml.js';
import type { Message } from '../../../../protocol/conversation.js';
import type { LearnedCategory } from '../../../../protocol/learned.js';
import type { LearnedRequester } from '../../../../main/workspace/bot-learning.js';
import type { TrainingEvent } from '../../../../protocol/training.js';
import type { SaveFilePort } from '../../../../main/save-file.js';
import type { ApiCredentials } from '../../../../main/workspace/pandorabots-client.js';
import type { TrainingHost } from '../../../../main/workspace/training-host.js';
import { TrainingWorkspace, type TrainingWorkspaceOptions } from '../../../../main/workspace/training-workspace.js';
import { botWorkspace } from '../../../../main/workspace/workspace-files.js';
import { FakeLearnedPlatform } from './fake-learned-platform.js';

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

export function message(conversationId: string, seq: number, author: Message['author'], text: string, over: Partial<Message> = {}): Message {
  return { id: `${conversationId}-${seq}`, conversationId, seq, author, text, at: T0 + seq * 1000, ...over };
}

/** Writes bot files (Pandorabots layout, paths like `aiml/x.aiml`) into `dir`. */
export function writeBot(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return dir;
}

export const aiml = (categories: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n${categories}\n</aiml>\n`;
export const category = (pattern: string, template: string, that?: string) =>
  `<category><pattern>${pattern}</pattern>${that ? `<that>${that}</that>` : ''}<template>${template}</template></category>`;

/** A Studio stand-in: the host a TrainingWorkspace is attached to, recording what it emits. */
export class FakeHost implements TrainingHost {
  readonly events: TrainingEvent[] = [];
  readonly credentials = new Map<string, ApiCredentials>();
  platformInfo: { url: string; embedded: boolean } | undefined;
  names = new Map<string, string>();
  saveFile?: SaveFilePort;
  /** The Platform's learned-category methods while "online". */
  requester: LearnedRequester | undefined;
  transcripts = new Map<string, Message[]>();

  constructor(readonly dir: string) {}
  learned = () => this.requester;
  messagesBefore = (conversationId: string, beforeSeq: number) => Promise.resolve((this.transcripts.get(conversationId) ?? []).filter((m) => m.seq < beforeSeq));
  workspaceDir = () => this.dir;
  platform = () => this.platformInfo;
  conversationName = (id: string) => this.names.get(id);
  savedCredentials = (url: string) => this.credentials.get(url);
  saveCredentials = (url: string, c: ApiCredentials) => void this.credentials.set(url, c);
  emit = (e: TrainingEvent) => void this.events.push(e);
  changes(bot = 'starter'): number {
    return this.events.filter((e) => e.type === 'training.changed' && e.bot === bot).length;
  }
}

export interface Fixture {
  root: string;
  workspaceDir: string;
  host: FakeHost;
  ws: TrainingWorkspace;
  platform: FakeLearnedPlatform;
  /** Takes the link down or brings it back (the workspace is told, as Studio tells it). */
  setOnline(online: boolean): Promise<void>;
  files(bot?: string): ReturnType<typeof botWorkspace>;
  /** A conversation as the Platform stores it; `reply` adds a designer reply and captures it. */
  conversation(id: string): Conversation;
  close(): void;
}

export interface Conversation {
  messages: Message[];
  add(author: Message['author'], text: string, over?: Partial<Message>): Message;
  /**
   * A designer (Ada by default) answers: the Platform captures the last user input, as it does for every reply;
   * `withThat`: only after what the bot said before it (as it captures a short reply such as "yes").
   */
  reply(text: string, withThat?: boolean, designer?: { id: string; name: string }): Promise<LearnedCategory>;
}

const ADA = { id: 'd1', name: 'Ada' };
const normalizer = compileBot({}).bot;

export function workspaceFixture(options: TrainingWorkspaceOptions = {}): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'lts-ws-'));
  const workspaceDir = join(root, 'workspace');
  const host = new FakeHost(workspaceDir);
  let clock = T0;
  const ws = new TrainingWorkspace({ now: () => clock++, ...options });
  const platform = new FakeLearnedPlatform();
  let online = true;
  host.requester = platform.as(ADA, () => online);
  host.platformInfo = { url: 'http://127.0.0.1:9', embedded: false };
  platform.subscribe((e) => (online ? ws.learnedChanged(e) : undefined));
  ws.attach(host);
  void ws.linkChanged(true);
  return {
    root,
    workspaceDir,
    host,
    ws,
    platform,
    async setOnline(value) {
      online = value;
      host.requester = value ? platform.as(ADA, () => online) : undefined;
      await ws.linkChanged(value);
    },
    files: (bot = 'starter') => botWorkspace(workspaceDir, bot),
    conversation(id) {
      const messages: Message[] = [];
      host.transcripts.set(id, messages);
      const add = (author: Message['author'], text: string, over: Partial<Message> = {}) => {
        const m = message(id, messages.length + 1, author, text, over);
        messages.push(m);
        return m;
      };
      return {
        messages,
        add,
        async reply(text, withThat = false, designer = ADA) {
          const input = [...messages].reverse().find((m) => m.author === 'user')!;
          const m = add('human', text, { designer });
          const pattern = normalizer.normalize(input.text).filter((x) => x.trim() !== '').at(-1)!;
          const said = messages.filter((x) => x.seq < input.seq && (x.author === 'bot' || x.author === 'human')).at(-1);
          const that = withThat && said ? normalizer.normalizeThat(said.text) : '*';
          return platform.capture(designer, { pattern, that, template: escapeXmlText(text) }, { conversationId: id, inputSeq: input.seq, replySeq: m.seq, input: input.text, clientName: 'Rusty Sprocket' });
        },
      };
    },
    close() {
      ws.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Puts bot files where a pull from the Platform leaves them, with the pull record (as pullPlatformFiles writes it). */
export function pretendPulled(fixture: Fixture, files: Record<string, string>, bot = 'starter', pulledAt = T0): void {
  const dir = fixture.files(bot).platformFilesDir;
  writeBot(dir, files);
  writeFileSync(join(dir, '.pulled.json'), JSON.stringify({ pulledAt, files: Object.keys(files).sort() }));
}
