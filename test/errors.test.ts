/** The error classes every command ends with: where a problem is, what caused it, and the exit status. */
import { describe, expect, it } from 'vitest';
import { EXIT, InputError, InternalError, ToolchainError } from '../src/errors.js';

describe('InputError locations', () => {
  it('names a file, a byte offset and a type id', () => {
    expect(new InputError('bad', { file: 'a.o', offset: 40, typeId: 2 }).oneLine()).toBe('a.o at offset 40, type id 2: bad');
    expect(new InputError('bad').oneLine()).toBe('<input>: bad');
  });
  it('an option stands where a file would, and is not a file', () => {
    const e = new InputError("expected a positive number of seconds, got '0'", { option: '--timeout' });
    expect(e.oneLine()).toBe("--timeout: expected a positive number of seconds, got '0'");
    expect(e.where.file).toBeUndefined();
    expect(new InputError('x').inOption('--finding').oneLine()).toBe('--finding: x');
    expect(new InputError('x', { option: '--a' }).inOption('--b').where.option).toBe('--a');
  });
  it('copies keep the reason and the cause', () => {
    const root = new SyntaxError('Unexpected end of JSON input');
    const e = new InputError('invalid JSON', {}, { cause: root });
    expect(e.cause).toBe(root);
    expect(e.inFile('c.json').cause).toBe(root);
    expect(e.inFile('c.json').oneLine()).toBe('c.json: invalid JSON');
    expect(new InputError('x', { offset: 4 }, { cause: root }).shift(10).cause).toBe(root);
    expect(new InputError('x').cause).toBeUndefined();
  });
});

describe('exit statuses', () => {
  it('input 2, toolchain 3, internal 70', () => {
    expect(new InputError('x').exitCode).toBe(EXIT.INPUT);
    expect(new ToolchainError('step', 'failed').exitCode).toBe(EXIT.TOOLCHAIN);
    expect(EXIT.INTERNAL).toBe(70);
    expect(new InternalError('x').exitCode).toBe(70);
  });
  it('a ToolchainError re-wrapping another keeps it as the cause', () => {
    const first = new ToolchainError('left compile', 'exited with status 1');
    expect(new ToolchainError('x.c: left compile', 'exited with status 1', '', { cause: first }).cause).toBe(first);
  });
});

describe('InternalError', () => {
  it('wraps anything unexpected, keeping it as the cause and its stack as the trace', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'types')");
    const e = InternalError.from(bug);
    expect(e.cause).toBe(bug);
    expect(e.oneLine()).toBe("internal error: Cannot read properties of undefined (reading 'types') (set BTFPARITY_DEBUG=1 for a stack trace)");
    expect(e.trace()).toBe(bug.stack);
    expect(InternalError.from(e)).toBe(e);
  });
  it('a thrown non-Error has its text as the message and no trace', () => {
    const e = InternalError.from('boom');
    expect(e.oneLine()).toBe('internal error: boom (set BTFPARITY_DEBUG=1 for a stack trace)');
    expect(e.trace()).toBe('');
  });
});
