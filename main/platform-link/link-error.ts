import type { DesignerError } from '../../protocol/designer-wire.js';

/**
 * Why a request to the Platform failed. Codes are the Platform's (`DesignerErrorCode`) plus the link's own:
 * `offline` (gave up waiting for a connection), `timeout` (connected, but no answer before the request's
 * deadline), `unauthorized` (the token was refused), `closed` (Studio is
 * shutting the link down or switching Platform), `bad_response` (the Platform answered with something that
 * does not fit the contract), `queue_full`.
 */
export class LinkRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LinkRequestError';
  }

  static fromDesignerError(e: DesignerError): LinkRequestError {
    return new LinkRequestError(e.code, e.message, e.details);
  }
}
