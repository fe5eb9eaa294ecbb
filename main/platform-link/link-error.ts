import type { DesignerErrorCode } from '../../protocol/designer-wire.js';
import type { AppError, LinkErrorCode } from '../../protocol/errors.js';

/**
 * Why a request to the Platform failed: one `AppError` (protocol/errors.ts) whose code is the Platform's
 * (`DesignerErrorCode`, passed through to the designer) or the link's own (`LinkErrorCode`).
 */
export type LinkRequestError = AppError<DesignerErrorCode | LinkErrorCode>;
