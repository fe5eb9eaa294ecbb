/** The bot owner's Pandorabots API calls (create, upload, verify, delete) against a real Platform, as the SDKs make them. */
export function botOwnerApi(base: string, credentials: { appId: string; userKey: string }) {
  const call = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${base}/bot/${credentials.appId}${path}?user_key=${encodeURIComponent(credentials.userKey)}`, { method, body });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  return {
    /** Creates the bot with these AIML files (name -> content) and compiles it; throws when it does not compile. */
    async createBot(bot: string, aimlFiles: Record<string, string>): Promise<void> {
      await call('PUT', `/${bot}`);
      for (const [name, content] of Object.entries(aimlFiles)) await call('PUT', `/${bot}/file/${name}`, content);
      await call('GET', `/${bot}/verify`);
    },
    deleteBot: (bot: string) => call('DELETE', `/${bot}`),
  };
}

/** An AIML 2.0 file from pattern -> template pairs (templates are AIML, written as such). */
export function aimlFile(categories: Record<string, string>): string {
  const body = Object.entries(categories)
    .map(([pattern, template]) => `<category><pattern>${pattern}</pattern><template>${template}</template></category>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<aiml version="2.0">\n${body}\n</aiml>\n`;
}
