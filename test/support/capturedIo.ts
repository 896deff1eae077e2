import { PassThrough } from 'node:stream';

/**
 * `fields` (stdin, env, cwd…) with a stdout and a stderr that keep what is written to them: `out` and `err` read
 * it so far. For calling the CLI's main() in-process.
 */
export function capturedIo<T extends object>(fields: T): T & { stdout: PassThrough; stderr: PassThrough; readonly out: string; readonly err: string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return Object.defineProperties({ ...fields, stdout, stderr }, { out: { get: () => out }, err: { get: () => err } }) as T & { stdout: PassThrough; stderr: PassThrough; readonly out: string; readonly err: string };
}
