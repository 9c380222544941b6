import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir, portFromEnv, StartupError } from '../../../lib/local/preflight.js';

/** The pid of a process that has exited (a stack that died and left its lock behind). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('lockDataDir', () => {
  it('creates the directory, writes our pid and removes the lock on release', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'tier-lock-')), 'nested', 'data');
    const lock = lockDataDir(dataDir);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    lock.release();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('takes over the lock of a stack that died', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tier-lock-'));
    writeFileSync(join(dataDir, LOCK_FILE), `${deadPid()}\n`);
    const lock = lockDataDir(dataDir);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('refuses a directory a live process holds, naming the pid and another directory to use', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tier-lock-'));
    writeFileSync(join(dataDir, LOCK_FILE), `${process.ppid}\n`);
    expect(() => lockDataDir(dataDir)).toThrow(StartupError);
    expect(() => lockDataDir(dataDir)).toThrow(`DATA_DIR ${dataDir} is in use by another local stack (pid ${process.ppid}): stop that one, or give this one its own directory, e.g. DATA_DIR=${dataDir}-2 npm start`);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.ppid));
  });
});

describe('portFromEnv', () => {
  it.each([
    [undefined, 3000],
    ['', 3000],
    ['3100', 3100],
    ['65535', 65535],
  ])('%j gives %i', (raw, expected) => {
    expect(portFromEnv('PORT', 3000, raw === undefined ? {} : { PORT: raw })).toBe(expected);
  });

  it.each(['abc', '0', '65536', '30.5', '-1'])('%j is refused naming the variable', (raw) => {
    expect(() => portFromEnv('SES_PORT', 8005, { SES_PORT: raw })).toThrow(`SES_PORT=${raw} is not a port number (1–65535)`);
  });
});
