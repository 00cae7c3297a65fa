import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

// --exit-when-unused DIR: the emulator stops once no process named in DIR is alive. Each client
// writes a file named by its pid there while it runs; a client that crashed leaves its file behind,
// so liveness is checked by pid, not by the file alone.

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Live client pids in `dir`; files of dead clients are removed. */
export async function liveClients(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (isAlive(pid)) live.push(pid);
    else await rm(join(dir, name), { force: true });
  }
  return live;
}

/** Polls `dir` and calls `stop` once no client is alive. */
export function exitWhenUnused(dir: string, stop: (why: string) => void, intervalMs = 500): () => void {
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    liveClients(dir)
      .then((live) => {
        if (live.length === 0) stop(`no client in ${dir} is running`);
      })
      .catch((e: unknown) =>
        process.stderr.write(
          `Could not read the client list in ${dir}: ${e instanceof Error ? e.message : String(e)}\n`,
        ),
      )
      .finally(() => {
        checking = false;
      });
  }, intervalMs);
  return () => clearInterval(timer);
}
