import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { systemClock, type Clock } from '../protocol/clock.js';
import { openBotRegistry } from './bots/registry.js';
import { loadChannelAssets } from './channels/static-assets.js';
import { BotReplyWorker } from './chat/bot-reply-worker.js';
import { ChatGateway, DEFAULT_CHAT_LIMITS, type ChatLimits } from './chat/chat-gateway.js';
import { RefusedOrigins } from './chat/refused-origins.js';
import { StoredApiConversationLog } from './conversations/api-conversation-log.js';
import { ConversationService } from './conversations/conversation-service.js';
import { EventHub } from './conversations/event-hub.js';
import { ConversationHistory } from './conversations/history.js';
import { answerOwedReplies } from './conversations/owed-replies.js';
import { DesignerGateway } from './designer-gateway/designer-gateway.js';
import { DesignerAccounts } from './designers/designer-accounts.js';
import { Disposables } from './disposables.js';
import { ChatAcceptGate } from './http/chat-accept-gate.js';
import { ClientAddresses } from './http/client-address.js';
import { platformRoutes } from './http/platform-routes.js';
import { refuseUpgrade } from './http/upgrade-refusal.js';
import { loadWordLists, RobotNameGenerator } from './names/robot-names.js';
import { createPandorabotsApi, resolveApiCredentials, type PlanLimits } from './pandorabots-api/index.js';
import { ContentReports } from './moderation/content-reports.js';
import { LiveTrainingSettingsStore, loadDefaultSettings } from './settings/live-training-settings.js';
import { engineLimitsOf } from './settings/engine-limits.js';
import { SqliteStorage } from './storage/sqlite-storage.js';
import { openPostgresStorage } from './storage/postgres-storage.js';
import type { Storage } from './storage/storage.js';
import { startLearnedTraining } from './training/learned-training.js';
import { StorageClientStates } from './bots/storage-client-states.js';
import { ClusterNode } from './cluster/cluster-node.js';
import { EventBridge, EVENTS_CHANNEL } from './cluster/event-bridge.js';
import { ClusterBotRegistry } from './bots/cluster-bot-registry.js';
import { SharedBotFiles } from './bots/shared-bot-files.js';
import { openSharedChatLimits } from './cluster/shared-chat-limits.js';
import { SharedAnonymousClients } from './cluster/shared-anonymous-clients.js';
import { AnonymousClients } from './pandorabots-api/anonymous-clients.js';

export interface PlatformOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: a Platform is reachable from elsewhere only when asked (`--host 0.0.0.0`). */
  host?: string;
  /** Bots in `<dataDir>/bots/<name>`, conversations in `<dataDir>/platform.sqlite`. Created when missing. */
  dataDir: string;
  clock?: Clock;
  /** A pino logger, or false for none. Default: pino to stdout at `info`. */
  logger?: Logger | false;
  /** Randomness for client names and conversation ids. */
  random?: () => number;
  appId?: string;
  userKey?: string;
  /** The inactivity timeout of bots that did not set their own (default 15 minutes). */
  defaultInactivityTimeoutMs?: number;
  /** End-user channel limits (rates, connections); defaults suit one public deployment. */
  chatLimits?: Partial<ChatLimits>;
  /** The Pandorabots API's plan limits (talk calls per minute, bots, anonymous clients); Pandorabots' defaults. */
  apiLimits?: Partial<PlanLimits>;
  /** SQLite durability (see SqliteOptions): `normal` survives process kills, `full` also power cuts. */
  durability?: 'normal' | 'full';
  /** Events each bot's log keeps for designers to resume from (default 20,000); older gaps get a snapshot. */
  eventRetention?: number;
  /** A user message owed a bot reply since before a crash is answered at start if younger than this (default 1 h). */
  owedReplyMaxAgeMs?: number;
  /** WebSocket heartbeat (real time, default 30 s): a peer that misses a ping for this long is dropped. */
  heartbeatMs?: number;
  /** This Platform process's id among the instances sharing a database (presence is counted per instance); random by default. */
  instanceId?: string;
  /**
   * `postgres://USER:PASS@HOST:PORT/DB`: keep everything in this PostgreSQL database instead of `<dataDir>/platform.sqlite`,
   * shared with every other instance started with the same URL (they form one Platform: see server/cluster/).
   */
  databaseUrl?: string;
  /** Storage opened by the caller (tests); the Platform closes it. Default: SQLite in `<dataDir>/platform.sqlite`. */
  storage?: Storage;
  /**
   * Addresses or networks (`10.0.0.5`, `10.0.0.0/8`) of the proxies in front of this Platform (a load balancer): on
   * their connections the user's address, which the per-address limits count, is taken from `X-Forwarded-For`.
   */
  trustProxy?: readonly string[];
}

export interface RunningPlatform {
  url: string;
  port: number;
  dataDir: string;
  /** This process among the Platform instances sharing its database. */
  instanceId: string;
  createDesigner(name: string): Promise<{ id: string; name: string; token: string }>;
  apiCredentials: { appId: string; userKey: string };
  /** The API credentials were made up on this start (first run): show them to the owner once. */
  apiCredentialsGenerated: boolean;
  /** Bots that can talk now. */
  bots(): string[];
  designerCount(): Promise<number>;
  landingPageUrl(bot: string): string;
  /** Every designer reply committed so far is captured and live in its bot (tests, benchmarks). */
  learnedSettled(): Promise<void>;
  close(): Promise<void>;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function idMaker(random: () => number, prefix: string, length: number): () => string {
  return () => {
    let id = prefix;
    for (let i = 0; i < length; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length) % ID_ALPHABET.length];
    return id;
  };
}

/** Starts the Platform: storage, bots, conversation rules, designer gateway, end-user channels, REST API. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const clock = options.clock ?? systemClock;
  // First: a bad --trust-proxy is refused before anything starts.
  const addresses = new ClientAddresses(options.trustProxy);
  const clientAddress = (req: IncomingMessage) => addresses.of(req);
  const logger: Logger = options.logger === false ? pino({ enabled: false }) : (options.logger ?? pino({ name: 'platform' }));
  const random = options.random ?? Math.random;
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const instanceId = options.instanceId ?? randomBytes(8).toString('hex');
  const sqlite = options.storage || options.databaseUrl ? undefined : new SqliteStorage({
    file: join(dataDir, 'platform.sqlite'),
    durability: options.durability ?? 'normal',
    groupCommit: true,
    onCommitError: (error) => logger.error({ err: error }, 'could not commit: nothing in this batch was acknowledged'),
    backgroundCheckpointMs: 500,
    onBackgroundError: (message) => logger.warn({ err: message }, 'background WAL checkpoint failed'),
  });
  // PostgreSQL: unreachable at start rejects with one line naming host:port (the CLI prints it and exits non-zero).
  const storage: Storage = options.storage ?? sqlite ?? (await openPostgresStorage(options.databaseUrl!, { log: (message) => logger.warn(message), announceEventsOn: { channel: EVENTS_CHANNEL, from: instanceId } }));
  // Every part is added as it starts; close() (or a failed start) stops them in reverse.
  const teardown = new Disposables((part, error) => logger.error({ err: error, part }, 'a part of the Platform failed to close'));
  teardown.add('storage', () => storage.close());
  const settings = new LiveTrainingSettingsStore(storage, loadDefaultSettings(), options.defaultInactivityTimeoutMs);
  settings.onReadError = (bot, error) => logger.warn({ err: error, bot }, 'could not read the bot’s settings');
  let registry: Awaited<ReturnType<typeof openBotRegistry>>;
  try {
    // The registry reads the settings only when a bot answers: they are loaded below, before anyone can connect.
    registry = await openBotRegistry({
      dataDir,
      clock,
      logger,
      seedStarterBot: true,
      engineLimits: (bot) => engineLimitsOf(settings.get(bot)),
      // AIML client state lives in the storage, so a user keeps their predicates on any instance.
      clientStates: new StorageClientStates(storage),
    });
  } catch (error) {
    await teardown.dispose();
    throw error;
  }
  teardown.add('bot registry', () => registry.close());
  // The HTTP server's last connections end once the gateways (added below, so closed before this) have closed
  // their sockets; keep-alive ones that idle are closed, and any still busy after 2 s are cut.
  const http: { server?: Server; closed?: Promise<void> } = {};
  teardown.add('HTTP connections', async () => {
    const server = http.server;
    if (!server || !http.closed) return;
    server.closeIdleConnections();
    const forced = setTimeout(() => server.closeAllConnections(), 2_000);
    await http.closed;
    clearTimeout(forced);
  });
  const credentialsOptions: { dataDir: string; appId?: string; userKey?: string } = { dataDir };
  if (options.appId) credentialsOptions.appId = options.appId;
  if (options.userKey) credentialsOptions.userKey = options.userKey;
  const { credentials, generated } = resolveApiCredentials(credentialsOptions);

  const hub = new EventHub();
  // On PostgreSQL the service's events go to this instance's sockets through the event bridge, in id order with the
  // other instances' events (server/cluster/event-bridge.ts): transactions commit on several connections, and their
  // afterCommit work can run in another order than their commits. On SQLite (one connection), straight to them.
  const serviceHub = storage.kind === 'postgres' ? new EventHub() : hub;
  const service = new ConversationService({
    storage,
    instanceId,
    clock,
    hub: serviceHub,
    settings,
    names: new RobotNameGenerator(loadWordLists(), random),
    newConversationId: idMaker(random, 'c', 16),
    eventRetention: options.eventRetention,
    onInactivityResume: (id) => logger.info({ conversation: id }, 'holder inactive: the bot resumed'),
    onLeaseError: (id, error) => logger.error({ err: error, conversation: id }, 'holder inactive, but the hand-back could not be stored: trying again'),
  });
  teardown.add('conversation service', () => service.close());
  if (options.databaseUrl) {
    let cluster: ClusterNode;
    try {
      cluster = await ClusterNode.join({
        databaseUrl: options.databaseUrl,
        storage,
        instanceId,
        clock,
        logger,
        publish: (envelope) => hub.publish(envelope),
        reportOffline: async (conversationIds) => {
          for (const id of conversationIds) {
            const c = await storage.getConversation(id);
            if (c && c.online === 0) await service.publish(c.bot, { type: 'conversation.presence', conversationId: id, online: false });
          }
        },
        rescanLeases: () => service.start(),
        // A storage this function opened announces its events itself; one the caller passed may not.
        storageAnnounces: !options.storage,
      });
    } catch (error) {
      await teardown.dispose();
      throw error;
    }
    serviceHub.subscribe((envelope) => cluster.local(envelope));
    // Bot files live in the database: this instance's registry becomes a mirror that follows every publish.
    const clusterBots = new ClusterBotRegistry(registry, new SharedBotFiles(cluster.pool), logger);
    try {
      await clusterBots.start(cluster.notifications);
    } catch (error) {
      await cluster.close();
      await teardown.dispose();
      throw error;
    }
    registry = clusterBots;
    teardown.add('cluster', async () => {
      await cluster.leave();
      await cluster.close();
    });
  }
  if (!options.databaseUrl && storage.kind === 'postgres') {
    // A PostgreSQL storage opened by the caller, without a cluster: only the ordering part of the bridge.
    const ordering = new EventBridge({
      storage,
      announcements: { listen: () => Promise.resolve(), onReconnect: () => () => undefined },
      publish: (envelope) => hub.publish(envelope),
      onError: (error, bot) => logger.error({ err: error, bot }, 'could not read events to publish them in order'),
      instanceId,
      clock,
    });
    try {
      await ordering.start();
    } catch (error) {
      await teardown.dispose();
      throw error;
    }
    serviceHub.subscribe((envelope) => ordering.local(envelope));
    teardown.add('event ordering', async () => {
      ordering.close();
      await ordering.settled();
    });
  }
  const startUp = async () => {
    await storage.transaction(async (tx) => {
      for (const bot of registry.list()) await tx.ensureBot(bot);
    });
    await settings.load(registry.list());
    // Single instance: clear all. This process's own id is new, so none of its presence can be left; and on SQLite
    // the Platform is the only instance there is, so every earlier process's end users are gone too.
    if (storage instanceof SqliteStorage) await storage.clearAllPresence();
    else await storage.clearPresence(instanceId);
    await service.start();
  };
  try {
    await startUp();
  } catch (error) {
    await teardown.dispose();
    throw error;
  }
  const published = (what: string) => (error: unknown) => logger.error({ err: error }, `could not store ${what}`);
  // The `widget-origins` CLI command changes a bot's allowed origins from another process: designers hear of it too.
  settings.onExternalChange = (bot, changed) => void service.publish(bot, { type: 'settings.updated', bot, settings: changed }).catch(published('a settings change'));
  const history = new ConversationHistory(storage);
  const accounts = new DesignerAccounts(storage, clock);
  const bots = { list: () => registry.list(), has: (bot: string) => registry.has(bot) };

  // The worker tells the chat gateway when the bot fails, and the gateway hands the worker its tickets.
  const failures: { chat?: ChatGateway } = {};
  const worker = new BotReplyWorker({ service, storage, bots: registry, logger, onFailure: (ticket, reason) => failures.chat?.botFailed(ticket, reason) });
  // Answers everything accepted, so those replies are stored before the service and storage close.
  teardown.add('bot reply worker', () => worker.drain());
  // In a cluster the flood limits are the cluster's: refilled on the database's clock, or on the clock a test injects.
  const sharedLimits = options.databaseUrl
    ? openSharedChatLimits({ databaseUrl: options.databaseUrl, instanceId, limits: { ...DEFAULT_CHAT_LIMITS, ...options.chatLimits }, clock, refillTime: options.clock ? clock : 'database', logger })
    : undefined;
  if (sharedLimits) teardown.add('shared chat limits', () => sharedLimits.close());
  const chat = new ChatGateway({ service, storage, settings, hub, worker, bots, clock, logger, limits: options.chatLimits ?? {}, heartbeatMs: options.heartbeatMs, clientAddress, ...(sharedLimits ? { floodStores: sharedLimits.stores } : {}) });
  failures.chat = chat;
  teardown.add('chat gateway', () => chat.close());
  // Replies still owed from before a crash are answered before anyone can connect (see owed-replies.ts).
  try {
    await answerOwedReplies({
      storage,
      clock,
      logger,
      enqueue: (ticket) => worker.enqueue(ticket),
      publishIn: (tx, bot, event) => service.publishIn(tx, bot, event),
      hasBot: (bot) => registry.has(bot),
      maxAgeMs: options.owedReplyMaxAgeMs,
    });
  } catch (error) {
    await teardown.dispose();
    throw error;
  }
  const reports = new ContentReports({ storage, clock, publishIn: (tx, bot, event) => service.publishIn(tx, bot, event) });
  // Learned categories (issue 13): replies committed before a crash are captured here, before anyone connects.
  let learned: Awaited<ReturnType<typeof startLearnedTraining>>;
  try {
    learned = await startLearnedTraining({ dataDir, durability: options.durability ?? 'normal', registry, storage, hub, conversations: service, settings, clock, logger, newId: idMaker(random, 'l', 16), ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
  } catch (error) {
    await teardown.dispose();
    throw error;
  }
  teardown.add('learned categories', () => learned.close());
  const designers = new DesignerGateway({ service, history, settings, storage, bots, reports, accounts, hub, clock, logger, heartbeatMs: options.heartbeatMs, learned: learned.handlers });
  teardown.add('designer gateway', () => designers.close());

  // Designers follow the bot list live: a bot made or deleted through the API after they connected shows at once.
  // One change after the other, so their events keep the order the changes had.
  let botChanges = Promise.resolve();
  // In a cluster only the instance that made a change publishes its event (which reaches every instance's designers
  // and chats); the others, following it, only load the bot's settings.
  const stopWatchingBots = registry.onChange((bot, change, origin = 'here') => {
    const at = clock.now();
    botChanges = botChanges
      .then(async () => {
        if (change === 'deleted') {
          if (origin === 'here') await service.publish(bot, { type: 'bot.deleted', bot, at });
          return;
        }
        await storage.transaction((tx) => tx.ensureBot(bot));
        await settings.load([bot]);
        if (origin === 'elsewhere') return;
        if (change === 'reloaded') await service.publish(bot, { type: 'bot.reloaded', bot, at });
        else await service.publish(bot, { type: 'bot.created', bot, at, settings: settings.get(bot) });
      })
      .catch(published(`the bot change ${change} of ${bot}`));
  });
  teardown.add('bot list watch', stopWatchingBots);

  let anonymousClients: SharedAnonymousClients | undefined;
  if (sharedLimits) {
    try {
      anonymousClients = await SharedAnonymousClients.open(sharedLimits.pool, credentials.appId, new AnonymousClients(dataDir, credentials.appId).count);
    } catch (error) {
      await teardown.dispose();
      throw error;
    }
  }
  const api = createPandorabotsApi({
    registry,
    credentials,
    conversations: new StoredApiConversationLog(service, storage),
    clock,
    logger,
    learnedFile: learned.learnedFile,
    ...(options.apiLimits ? { limits: options.apiLimits } : {}),
    ...(anonymousClients ? { anonymousClients } : {}),
    ...(sharedLimits ? { sharedTalkCalls: (perMinute: number) => sharedLimits.talkCalls(perMinute) } : {}),
  });
  let ready = false;
  const refusedOrigins = new RefusedOrigins({
    clock,
    note: (bot, origin, at) =>
      storage.transaction(async (tx) => {
        const changed = await settings.recordRefusedOrigin(tx, bot, origin, at);
        await service.publishIn(tx, bot, { type: 'settings.updated', bot, settings: changed });
      }),
    onError: published('a refused site'),
  });
  const onOriginRefused = (bot: string, origin: string | undefined) => refusedOrigins.refused(bot, origin);
  const routes = platformRoutes({ bots, settings, assets: loadChannelAssets(), api, reports, onOriginRefused, ready: () => ready && storage.healthy, logger, clientAddress });
  // The routes answer their own failures; what escapes them (the 500 itself failing) is logged, not lost.
  const server: Server = createServer((req, res) => void routes(req, res).catch((error: unknown) => logger.error({ err: error, url: req.url }, 'request failed')));
  http.server = server;
  server.keepAliveTimeout = 5_000;
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://platform.invalid');
    if (!ready) return refuseUpgrade(socket, 503, 'The Platform is not ready.');
    if (url.pathname === '/ws/designer') return designers.handleUpgrade(req, socket, head);
    if (url.pathname === '/ws/chat') return chat.handleUpgrade(req, socket, head, url);
    refuseUpgrade(socket, 404, `No WebSocket at ${url.pathname}: use /ws/chat or /ws/designer.`);
  });
  // A flooder's chat sockets are refused before they cost an HTTP parse (see chat-accept-gate.ts).
  const chatLimits = { ...DEFAULT_CHAT_LIMITS, ...options.chatLimits };
  const acceptGate = new ChatAcceptGate({
    clock,
    refusal: (remote) => chat.refusalBeforeUpgrade(remote),
    opens: { burst: chatLimits.addressOpensBurst, perSecond: chatLimits.addressOpensPerSecond },
    firstBytesTimeoutMs: server.headersTimeout,
    maxAddresses: chatLimits.maxTrackedSessions,
    isTrustedProxy: (address) => addresses.isTrustedProxy(address),
  });
  acceptGate.install(server);
  teardown.add('chat accept gate', () => acceptGate.close());

  // Retries of designer commands come within seconds; a week of results is plenty and keeps the table small.
  const maintenance = setInterval(() => void storage.transaction((tx) => tx.pruneCommands(clock.now() - 7 * 24 * 3600_000)).catch(published('the pruning of old designer commands')), 3600_000);
  maintenance.unref();
  teardown.add('maintenance timer', () => clearInterval(maintenance));

  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolveListen();
      });
    });
  } catch (error) {
    await teardown.dispose();
    throw error;
  }
  // The first part to stop: no new connection or request is accepted from here on.
  teardown.add('HTTP listener', () => {
    ready = false;
    http.closed = new Promise<void>((r) => server.close(() => r()));
  });
  ready = true;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, dataDir, bots: registry.list() }, 'Platform listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      logger.info('Platform shutting down');
      // Stop accepting, tell every socket why it closes, answer what was accepted, then let the files go.
      await teardown.dispose();
      logger.info('Platform stopped');
    })());

  return {
    url,
    port,
    dataDir,
    instanceId,
    createDesigner: (name) => accounts.create(name),
    apiCredentials: { appId: credentials.appId, userKey: credentials.userKey },
    apiCredentialsGenerated: generated,
    bots: () => registry.list(),
    designerCount: async () => (await accounts.list()).length,
    landingPageUrl: (bot) => `${url}/chat/${bot}`,
    learnedSettled: () => learned.settled(),
    close,
  };
}
