import { describe, expect, it } from 'vitest';
import { describeError, isIpcError } from './errors';

describe('describeError', () => {
  it('leads with a sentence for the code and keeps the message', () => {
    expect(describeError({ code: 'invalid_input', message: 'N/A needs a justification: say why the question does not apply' })).toBe(
      'Please check what you entered. N/A needs a justification: say why the question does not apply.',
    );
  });

  it('does not add a second full stop', () => {
    expect(describeError({ code: 'disk_full', message: 'no space left.' })).toBe('The disk is full, so nothing was saved. No space left.');
  });

  it('does not say the same thing twice', () => {
    expect(describeError({ code: 'import_running', message: 'an import is already running; wait for it or cancel it' })).toBe(
      'An import is already running; wait for it or cancel it.',
    );
  });

  it('copes with unknown codes, empty messages and plain errors', () => {
    expect(describeError({ code: 'strange', message: '' })).toBe('Something went wrong.');
    // A message that starts with a file name or id keeps it as written.
    expect(describeError({ code: 'invalid_input', message: 'filled-by-bo.xlsx holds the votes of Bo' })).toBe(
      'Please check what you entered. filled-by-bo.xlsx holds the votes of Bo.',
    );
    expect(describeError({ code: 'keyring_unavailable', message: '' })).toBe('The system keyring could not be reached, so the token was not saved.');
    expect(describeError(new Error('boom'))).toBe('Something went wrong: boom');
    expect(describeError('  refused ')).toBe('refused');
    expect(describeError(undefined)).toBe('Something went wrong.');
  });

  it('recognises the IPC error shape only', () => {
    expect(isIpcError({ code: 'io', message: 'x' })).toBe(true);
    expect(isIpcError({ code: 'io' })).toBe(false);
    expect(isIpcError(null)).toBe(false);
  });
});

describe('describeError with a message the sentence already says', () => {
  it('keeps only the sentence', () => {
    expect(describeError({ code: 'cancelled', message: 'the import was cancelled' })).toBe(
      'The import was cancelled; the earlier evidence is unchanged.',
    );
  });
});
