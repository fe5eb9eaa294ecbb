import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContentReports } from '../moderation/content-reports.js';
import { renderReportPage, renderReportThanks } from '../channels/report-page.js';

/** A report form is a few hundred bytes; anything much larger is not one. */
const MAX_FORM_BYTES = 16 * 1024;

class FormTooLarge extends Error {}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new FormTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * GET and POST `/chat/<bot>/report`: the form, and its submission. A stored report answers 303 to the thank-you page
 * (GET `?sent=1`), so reloading it sends nothing twice; a refused one comes back as the form with the visitor's input.
 */
export async function reportContentRoute(
  req: IncomingMessage,
  res: ServerResponse,
  o: { bot: string; pageTitle: string; url: URL; reports: ContentReports; clientAddress: (req: IncomingMessage) => string; html: (res: ServerResponse, status: number, body: string, headers?: Record<string, string>) => void },
): Promise<void> {
  const { bot, pageTitle, html } = o;
  if (req.method === 'GET' || req.method === 'HEAD') {
    return html(res, 200, o.url.searchParams.get('sent') === '1' ? renderReportThanks(bot, pageTitle) : renderReportPage(bot, pageTitle));
  }
  if (req.method !== 'POST') return html(res, 405, renderReportPage(bot, pageTitle, { problem: `${req.method} cannot send a report.` }), { Allow: 'GET, POST' });
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    return html(res, 415, renderReportPage(bot, pageTitle, { problem: 'Send the report with the form on this page.' }));
  }
  let form: URLSearchParams;
  try {
    form = await readForm(req);
  } catch (error) {
    if (error instanceof FormTooLarge) return html(res, 413, renderReportPage(bot, pageTitle, { problem: 'This report is too large to send: shorten the details.' }));
    throw error;
  }
  const input = { reason: form.get('reason') ?? undefined, details: form.get('details') ?? undefined };
  const outcome = await o.reports.submit(bot, input, o.clientAddress(req));
  if (outcome.ok) {
    res.writeHead(303, { Location: `/chat/${bot}/report?sent=1`, 'Content-Length': '0' });
    return void res.end();
  }
  const headers: Record<string, string> = outcome.status === 429 ? { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) } : {};
  html(res, outcome.status, renderReportPage(bot, pageTitle, { ...input, problem: outcome.problem }), headers);
}
