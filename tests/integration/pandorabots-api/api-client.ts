/**
 * Plain HTTP against the Pandorabots-compatible API, written the way the documented requests are (curl examples,
 * pb-node, pb-cli, pb-python): parameters in the query string, or in a form body for talk.
 */
export interface ApiResponse {
  status: number;
  headers: Headers;
  json: () => unknown;
  text: string;
  bytes: Buffer;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly appId: string,
    readonly userKey: string,
  ) {}

  async request(method: string, path: string, options: { query?: Record<string, string>; form?: Record<string, string>; body?: string | Buffer; contentType?: string } = {}): Promise<ApiResponse> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {};
    let body: string | Buffer | undefined = options.body;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (options.contentType) headers['content-type'] = options.contentType;
    const payload = typeof body === 'string' ? body : body === undefined ? undefined : new Uint8Array(body);
    const res = await fetch(url, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    return { status: res.status, headers: res.headers, text, bytes, json: () => JSON.parse(text) as unknown };
  }

  /** `/bot/<app_id>/...?user_key=...` as pb-node builds it. */
  bot(method: string, rest: string, options: { query?: Record<string, string>; body?: string | Buffer; userKey?: string; appId?: string } = {}): Promise<ApiResponse> {
    const path = `/bot/${options.appId ?? this.appId}${rest}`;
    return this.request(method, path, { query: { user_key: options.userKey ?? this.userKey, ...options.query }, ...(options.body !== undefined ? { body: options.body } : {}) });
  }

  /** POST /talk/<app_id>/<bot> with the parameters in the query string (the docs' curl examples, pb-node). */
  talkQuery(bot: string, params: Record<string, string>, path = 'talk'): Promise<ApiResponse> {
    return this.request('POST', `/${path}/${this.appId}/${bot}`, { query: { user_key: this.userKey, ...params } });
  }

  /** POST /talk/<app_id>/<bot> with a form body (pb-cli, pb-java). */
  talkForm(bot: string, params: Record<string, string>, path = 'talk'): Promise<ApiResponse> {
    return this.request('POST', `/${path}/${this.appId}/${bot}`, { form: { user_key: this.userKey, ...params } });
  }
}

export interface TalkBody {
  status: string;
  responses: string[];
  sessionid: number;
  client_name?: string;
  patterns?: string[];
  thats?: string[];
  topics?: string[];
  filenames?: string[];
  templates?: string[];
  inputs?: string[];
  trace?: unknown[];
  message?: string;
}
