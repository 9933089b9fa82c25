// A terminal for the profile and history commands: what they write, kept as text.
import * as os from 'node:os';
import type { ProfileIo } from '../../../server/src/profile/profile-cli';
import { tempDir } from './temp';

export function captureIo(env: NodeJS.ProcessEnv = {}): ProfileIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t), isTTY: false },
    stderr: { write: (t: string) => (err += t), isTTY: false },
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), XDG_CACHE_HOME: tempDir('gdc-cli-cache-'), ...env },
    out: () => out,
    err: () => err,
  };
}
