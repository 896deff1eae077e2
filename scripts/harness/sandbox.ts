// What keeps a server to itself: a folder tree and an environment of its own, a free port, and a process group
// that is taken down with the runner.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** The server's folders and the isolated environment it runs with. */
export function layout(rootDir: string, extra: Record<string, string | undefined> = {}) {
  const dirs = {
    userDataDir: join(rootDir, 'user-data'),
    extensionsDir: join(rootDir, 'extensions'),
    home: join(rootDir, 'home'),
    tmp: join(rootDir, 'tmp'),
    config: join(rootDir, 'xdg/config'),
    data: join(rootDir, 'xdg/data'),
    cache: join(rootDir, 'xdg/cache'),
    state: join(rootDir, 'xdg/state'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A home of its own, so neither the server nor the extension reads the developer's ~/.aws or ~/.config.
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: '{}',
  };
  delete env.XDG_RUNTIME_DIR;
  // Leaking these from an outer VS Code or npm run would confuse the server or its extension host.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return { ...dirs, env };
}

export const running = new Set<ChildProcess>();
export function killGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group is gone
  }
}
let exitHookInstalled = false;
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the runner dies or is interrupted, take the servers' process groups down with it.
  process.on('exit', () => { for (const c of running) killGroup(c, 'SIGKILL'); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const c of running) killGroup(c, 'SIGKILL');
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}
