import type { ReportReason } from '../../protocol/designer-wire.js';
import { REPORT_DETAILS_CHARS } from '../moderation/content-reports.js';
import { escapeHtml } from './html.js';

const REASONS: Array<{ value: ReportReason; label: string }> = [
  { value: 'spam', label: 'Spam or a scam' },
  { value: 'adult', label: 'Adult content' },
  { value: 'copyright', label: 'A copyright problem' },
  { value: 'other', label: 'Something else' },
];

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/channels/landing.css">
</head>
<body><main class="plain">
${body}
</main></body>
</html>
`;
}

/**
 * The "Report content" form of a bot's Landing Page. A plain HTML form (no script): it works everywhere, and after a
 * refused submit it comes back with the visitor's choice and words in it and the problem said at the top.
 */
export function renderReportPage(bot: string, pageTitle: string, o: { reason?: string; details?: string; problem?: string } = {}): string {
  const radios = REASONS.map(
    (r) =>
      `<label class="choice"><input type="radio" name="reason" value="${r.value}"${o.reason === r.value ? ' checked' : ''} required> ${escapeHtml(r.label)}</label>`,
  ).join('\n');
  const problem = o.problem ? `<p class="problem" role="alert" id="report-problem">${escapeHtml(o.problem)}</p>` : '';
  return page(
    `Report content: ${pageTitle}`,
    `<h1>Report “${escapeHtml(pageTitle)}”</h1>
<p>Tell the people who run this Platform what is wrong with this page or its chatbot. Your report is anonymous.</p>
${problem}
<form class="report" method="post" action="/chat/${escapeHtml(bot)}/report"${o.problem ? ' aria-describedby="report-problem"' : ''}>
<fieldset><legend>What is wrong?</legend>
${radios}
</fieldset>
<label for="report-details">Details (optional)</label>
<textarea id="report-details" name="details" rows="5" aria-describedby="report-details-hint">${escapeHtml(o.details ?? '')}</textarea>
<p class="hint" id="report-details-hint">At most ${REPORT_DETAILS_CHARS} characters. Do not include personal information.</p>
<p><button type="submit">Send report</button> <a href="/chat/${escapeHtml(bot)}">Back to the chat</a></p>
</form>`,
  );
}

export function renderReportThanks(bot: string, pageTitle: string): string {
  return page(
    `Report sent: ${pageTitle}`,
    `<h1>Thank you</h1>
<p role="status">Your report about “${escapeHtml(pageTitle)}” was sent to the people who run this Platform.</p>
<p><a href="/chat/${escapeHtml(bot)}">Back to the chat</a></p>`,
  );
}
