import { describe, expect, it } from 'vitest';
import { DesignerErrorCode, DesignerServerFrame } from '../../../protocol/designer-wire.js';
import { AppError, ClientErrorCode, ErrorCode, isAppErrorOf, messageForPeople, StudioErrorCode } from '../../../protocol/errors.js';
import { StudioReplyFrame } from '../../../protocol/studio-api.js';
import { memoryLog } from '../../support/memory-log.js';

describe('the one error model', () => {
  it('has a closed set of codes: an unknown code is a type error and is refused at run time', () => {
    // @ts-expect-error 'no_such_code' is not an ErrorCode: the compiler refuses it.
    const made = new AppError('no_such_code', 'Something.');
    expect(ErrorCode.safeParse(made.code).success).toBe(false);
    expect(StudioErrorCode.safeParse('no_such_code').success).toBe(false);
    expect(AppError.fromWire(StudioErrorCode, { code: 'no_such_code', message: 'Something.' })).toBeUndefined();
    // The Studio API's reply frame refuses it too, so no open string reaches the renderer.
    expect(StudioReplyFrame.safeParse({ id: 1, ok: false, error: { code: 'no_such_code', message: 'Something.' } }).success).toBe(false);
    expect(StudioReplyFrame.safeParse({ id: 1, ok: false, error: { code: 'held_by_other', message: 'Ana has it.' } }).success).toBe(true);
  });

  it('closes the designer wire too: an error frame with an unknown code is refused', () => {
    expect(DesignerServerFrame.safeParse({ type: 'error', error: { code: 'no_such_code', message: 'Something.' } }).success).toBe(false);
    expect(DesignerServerFrame.safeParse({ type: 'error', error: { code: 'rate_limited', message: 'Slow down.', retryAfterMs: 100 } }).success).toBe(true);
  });

  it('lists every code once', () => {
    expect(new Set(ErrorCode.options).size).toBe(ErrorCode.options.length);
  });

  it('keeps each boundary to its own set: the Studio API serves the Platform codes, not the bot store', () => {
    for (const code of DesignerErrorCode.options) expect(StudioErrorCode.options).toContain(code);
    expect(StudioErrorCode.options).not.toContain('bot_exists');
    expect(StudioErrorCode.options).not.toContain('disconnected');
    expect(ClientErrorCode.options).toContain('disconnected');
    expect(isAppErrorOf(StudioErrorCode, new AppError('held_by_other', 'Ana has it.'))).toBe(true);
    expect(isAppErrorOf(StudioErrorCode, new AppError('bot_exists', 'a bot named "x" already exists'))).toBe(false);
    expect(isAppErrorOf(StudioErrorCode, new Error('held_by_other'))).toBe(false);
  });

  it('keeps the cause (ES2022) for the log, and never puts it or the stack on the wire', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' });
    const error = new AppError('platform_unreachable', 'Could not reach the Platform.', { cause: socket, details: { status: 502 } });
    expect(error).toBeInstanceOf(Error);
    expect(error.cause).toBe(socket);
    expect(error.toWire()).toEqual({ code: 'platform_unreachable', message: 'Could not reach the Platform.', details: { status: 502 } });
    expect(new AppError('offline', 'Offline.').toWire()).toEqual({ code: 'offline', message: 'Offline.' });
    expect('cause' in new AppError('offline', 'Offline.')).toBe(false);
  });

  it('crosses a wire and comes back the same', () => {
    const sent = new AppError('held_by_other', 'Grace holds this conversation.', { details: { holder: { id: 'd2', name: 'Grace' } } });
    const back = AppError.fromWire(StudioErrorCode, JSON.parse(JSON.stringify(sent.toWire())));
    expect(back).toBeInstanceOf(AppError);
    expect(back?.toWire()).toEqual(sent.toWire());
  });

  it('has a message for people: its own words, never a stack', () => {
    const error = new AppError('credentials_missing', "Publishing needs the Platform's app id and user key.");
    expect(messageForPeople(error)).toBe("Publishing needs the Platform's app id and user key.");
    expect(messageForPeople(new Error('disk full'))).toBe('disk full');
    expect(messageForPeople('plain words')).toBe('plain words');
    expect(messageForPeople(error)).not.toMatch(/\bat /);
  });

  it('logs through pino with its stack, its code and its cause', () => {
    const { logger, lines } = memoryLog();
    const cause = new Error('EACCES: permission denied');
    logger.error({ err: new AppError('platform_refused', 'The Platform refused the upload.', { cause }) }, 'publishing failed');
    const err = lines[0]!.err!;
    expect(err).toMatchObject({ type: 'AppError', code: 'platform_refused' });
    expect(err.message).toBe('The Platform refused the upload.: EACCES: permission denied');
    expect(err.stack).toMatch(/The Platform refused the upload\.\n\s+at /);
    expect(err.stack).toContain('caused by: Error: EACCES: permission denied');
  });
});
