import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { systemClock } from '../protocol/clock.js';
import { DesignerAccounts } from './designers/designer-accounts.js';
import { checkDatabaseUrl, NoPlatformDataError, openCommandStorage } from './cluster/command-storage.js';
import { ClientAddresses } from './http/client-address.js';
import { changeWidgetOrigins, WidgetOriginsError } from './settings/widget-origins-command.js';

const HELP = `Live Training Platform: hosts AIML bots, their Landing Pages and Chat Widget, and the designer gateway.

Usage:
  npm run platform -- [options]                 run the Platform
  npm run platform -- designer add NAME [--data DIR | --database URL]   create a designer account; prints its token once
  npm run platform -- designer list [--data DIR | --database URL]       list designer accounts
  npm run platform -- reports [BOT] [--data DIR | --database URL]       list visitors' "Report content" reports, newest first
  npm run platform -- widget-origins BOT [--data DIR | --database URL]  which sites may show the bot's Chat Widget
      [--allow ORIGIN ...]   let only the listed sites show it (repeat for several), e.g. --allow https://shop.example
      [--remove ORIGIN ...]  take sites off the list
      [--any]                let any site show it again (the default)
    A running Platform applies the change within seconds; its Landing Page always works.

Options (each also from the environment variable shown):
  --port PORT          port to listen on; 0 picks a free one            PLATFORM_PORT (default 8080)
  --host HOST          address to bind; 0.0.0.0 for every interface     PLATFORM_HOST (default 127.0.0.1)
  --data DIR           data directory (created with the starter bot     PLATFORM_DATA_DIR (default ./platform-data)
                       on first run; bots live in DIR/bots/<name>)
 --database URL       keep everything in PostgreSQL instead of DIR's      PLATFORM_DATABASE_URL (default: SQLite in --data)
                       SQLite: postgres://USER:PASS@HOST:PORT/DB; every
                       instance started with the same URL is one Platform
  --trust-proxy LIST   addresses or networks of the load balancers in    PLATFORM_TRUST_PROXY (default: none)
                       front of this instance, comma-separated (e.g.
                       127.0.0.1 or 10.0.0.0/8): on their connections
                       the user's address is read from X-Forwarded-For
                       (per-address limits count users, not the proxy)
  --app-id ID          Pandorabots API app id                           PLATFORM_APP_ID (generated on first run)
  --user-key KEY       Pandorabots API user key                         PLATFORM_USER_KEY (generated on first run)
  --inactivity-minutes N   default hand-back timeout for bots that      PLATFORM_INACTIVITY_MINUTES (default 15)
                       did not set their own
  --durability MODE    normal (survives crashes) or full (also power    PLATFORM_DURABILITY (default normal)
                       cuts, slower)
  --log-level LEVEL    fatal, error, warn, info, debug, trace, silent   PLATFORM_LOG_LEVEL (default info)
  -h, --help           show this help

Logs are JSON lines (pino) on stderr; the lines for people go to stdout.
`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'app-id': { type: 'string' },
      'user-key': { type: 'string' },
      'inactivity-minutes': { type: 'string' },
      durability: { type: 'string' },
      'log-level': { type: 'string' },
      database: { type: 'string' },
      'trust-proxy': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      allow: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      any: { type: 'boolean' },
    },
  });
  const env = process.env;
  const port = Number(values.port ?? env.PLATFORM_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), not ${values.port ?? env.PLATFORM_PORT}`);
  const minutesText = values['inactivity-minutes'] ?? env.PLATFORM_INACTIVITY_MINUTES;
  const minutes = minutesText === undefined ? undefined : Number(minutesText);
  if (minutes !== undefined && !(minutes >= 1 / 60 && minutes <= 24 * 60)) throw new UsageError('--inactivity-minutes must be between 0.02 and 1440');
  const durability = values.durability ?? env.PLATFORM_DURABILITY ?? 'normal';
  if (durability !== 'normal' && durability !== 'full') throw new UsageError('--durability is normal or full');
  const databaseUrl = values.database ?? (env.PLATFORM_DATABASE_URL || undefined);
  const badUrl = databaseUrl === undefined ? undefined : checkDatabaseUrl(databaseUrl);
  if (badUrl) throw new UsageError(badUrl);
  const trustProxy = (values['trust-proxy'] ?? env.PLATFORM_TRUST_PROXY ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  try {
    new ClientAddresses(trustProxy);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const logLevel = values['log-level'] ?? env.PLATFORM_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new UsageError(`--log-level ${logLevel} is not a level`);
  return {
    help: values.help ?? false,
    positionals,
    port,
    host: values.host ?? env.PLATFORM_HOST ?? '127.0.0.1',
    dataDir: resolve(values.data ?? env.PLATFORM_DATA_DIR ?? 'platform-data'),
    databaseUrl,
    trustProxy,
    appId: values['app-id'] ?? env.PLATFORM_APP_ID,
    userKey: values['user-key'] ?? env.PLATFORM_USER_KEY,
    inactivityTimeoutMs: minutes === undefined ? undefined : Math.round(minutes * 60_000),
    durability: durability as 'normal' | 'full',
    logLevel,
    allow: values.allow ?? [],
    remove: values.remove ?? [],
    any: values.any ?? false,
  };
}

/** The storage a command works on; a data folder without Platform data is a usage mistake. */
async function commandStorage(args: ReturnType<typeof parse>, create: boolean) {
  try {
    return await openCommandStorage({ dataDir: args.dataDir, databaseUrl: args.databaseUrl, create });
  } catch (error) {
    if (error instanceof NoPlatformDataError) throw new UsageError(error.message);
    throw error;
  }
}

/** `designer add NAME` / `designer list`: works on the data directory directly, also while the Platform runs. */
async function designerCommand(args: ReturnType<typeof parse>): Promise<void> {
  const [, action, ...rest] = args.positionals;
  const { storage, where, option } = await openCommandStorage({ dataDir: args.dataDir, databaseUrl: args.databaseUrl, create: true });
  try {
    const accounts = new DesignerAccounts(storage, systemClock);
    if (action === 'add') {
      const name = rest.join(' ').trim();
      if (!name) throw new UsageError('designer add needs a display name: designer add "Ada Lovelace"');
      const designer = await accounts.create(name);
      console.log(`Designer "${designer.name}" created (id ${designer.id}) in ${where}.`);
      console.log('Token (shown only now; Studio asks for it; only its hash is kept):');
      console.log(designer.token);
      return;
    }
    if (action === 'list') {
      const all = await accounts.list();
      if (all.length === 0) console.log(`No designers in ${where}. Create one: npm run platform -- designer add NAME ${option}`);
      for (const d of all) console.log(`${d.id}  ${d.name}  created ${new Date(d.createdAt).toISOString()}`);
      return;
    }
    throw new UsageError(`unknown designer command "${action ?? ''}": use designer add NAME or designer list`);
  } finally {
    await storage.close();
  }
}

/** `reports [BOT]`: what visitors reported from the Landing Pages, for the Platform's operator. */
async function reportsCommand(args: ReturnType<typeof parse>): Promise<void> {
  const [, bot, ...extra] = args.positionals;
  if (extra.length > 0) throw new UsageError('reports takes at most one bot name: reports [BOT]');
  const { storage, where } = await commandStorage(args, false);
  try {
    const reports = await storage.contentReports(bot, 1000);
    if (reports.length === 0) console.log(`No reports${bot ? ` about ${bot}` : ''} in ${where}.`);
    for (const r of reports) {
      console.log(`#${r.id}  ${new Date(r.at).toISOString()}  ${r.bot}  ${r.reason}${r.details ? `\n    ${r.details.replace(/\s*\n\s*/g, ' / ')}` : ''}`);
    }
  } finally {
    await storage.close();
  }
}

/** `widget-origins BOT [--allow ORIGIN ...] [--remove ORIGIN ...] [--any]`: see widget-origins-command.ts. */
async function widgetOriginsCommand(args: ReturnType<typeof parse>): Promise<void> {
  const [, bot, ...extra] = args.positionals;
  if (!bot || extra.length > 0) throw new UsageError('widget-origins takes one bot name: widget-origins BOT [--allow ORIGIN ...] [--remove ORIGIN ...] [--any]');
  const database = args.databaseUrl ? await commandStorage(args, false) : undefined;
  try {
    console.log(await changeWidgetOrigins({ dataDir: args.dataDir, bot, allow: args.allow, remove: args.remove, any: args.any, ...(database ? { database } : {}) }));
  } catch (error) {
    if (error instanceof WidgetOriginsError) throw new UsageError(error.message);
    throw error;
  } finally {
    await database?.storage.close();
  }
}

async function run(args: ReturnType<typeof parse>): Promise<void> {
  const logger = pino({ name: 'platform', level: args.logLevel }, pino.destination(2));
  // Loaded only to run: `designer add` and `--help` need neither the engine nor the bots.
  const { startPlatform } = await import('./platform.js');
  const platform = await startPlatform({
    port: args.port,
    host: args.host,
    dataDir: args.dataDir,
    logger,
    appId: args.appId,
    userKey: args.userKey,
    defaultInactivityTimeoutMs: args.inactivityTimeoutMs,
    durability: args.durability,
    databaseUrl: args.databaseUrl,
    trustProxy: args.trustProxy,
  });
  console.log(`Platform listening on ${platform.url}`);
  console.log(`Data directory: ${platform.dataDir}`);
  for (const bot of platform.bots()) console.log(`Landing Page of ${bot}: ${platform.landingPageUrl(bot)}`);
  console.log(`Chat Widget script: ${platform.url}/widget.js`);
  if (platform.apiCredentialsGenerated) {
    console.log('Pandorabots API credentials (generated now, kept in the data directory):');
    console.log(`  app id:   ${platform.apiCredentials.appId}`);
    console.log(`  user key: ${platform.apiCredentials.userKey}`);
  } else {
    console.log(`Pandorabots API app id: ${platform.apiCredentials.appId}`);
  }
  if ((await platform.designerCount()) === 0) console.log(`No designer accounts yet. Create one: npm run platform -- designer add NAME --data ${platform.dataDir}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    platform.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(HELP);
    return;
  }
  try {
    if (args.positionals[0] === 'designer') return await designerCommand(args);
    if (args.positionals[0] === 'reports') return await reportsCommand(args);
    if (args.positionals[0] === 'widget-origins') return await widgetOriginsCommand(args);
    if (args.positionals.length > 0) throw new UsageError(`unknown command "${args.positionals.join(' ')}"`);
    await run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${HELP}`);
      process.exit(2);
    }
    const what = args.positionals[0] ? `${args.positionals[0]} failed` : 'The Platform could not start';
    console.error(`${what}: ${(error as Error).message}`);
    process.exit(1);
  }
}

void main();
