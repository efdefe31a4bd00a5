import { execFile } from 'node:child_process';
import { dirname, relative, resolve } from 'node:path';
import { UsageError } from './command';

/*
 * The few git questions `diff --base` and `diagram --plan --base` ask, through the git binary
 * (no library: the user's git knows their credentials, worktrees and config). Every failure is a
 * UsageError that says what to do, never a stack trace.
 */

function git(args: string[], cwd: string): Promise<{ ok: boolean; out: string; err: string; missing?: boolean }> {
  return new Promise((done) => {
    execFile('git', args, { cwd, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } }, (error, stdout, stderr) => {
      const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
      done({ ok: !error, out: stdout, err: stderr.trim(), ...(missing ? { missing } : {}) });
    });
  });
}

/** The repository that holds `file`: its top folder and the file's path in it; a UsageError without git. */
export async function repositoryOf(file: string, cwd: string): Promise<{ top: string; path: string }> {
  const abs = resolve(cwd, file);
  const r = await git(['rev-parse', '--show-toplevel'], dirname(abs));
  if (r.missing) throw new UsageError('git is not installed (or not on PATH): --base needs git to read the file at another revision');
  if (!r.ok) throw new UsageError(`${file} is not in a git repository, so there is no revision to compare with: commit it to a repository, or compare with the account alone (\`landing-zone drift\`)`);
  const top = r.out.trim();
  return { top, path: relative(top, abs).split('\\').join('/') };
}

/** The default branch: origin's HEAD, else `main` or `master` when one exists. */
async function defaultBranch(top: string): Promise<string | undefined> {
  const head = await git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], top);
  if (head.ok && head.out.trim()) return head.out.trim();
  for (const b of ['origin/main', 'origin/master', 'main', 'master']) {
    if ((await git(['rev-parse', '--verify', '--quiet', `${b}^{commit}`], top)).ok) return b;
  }
  return undefined;
}

/** The revision `--base` names, or the merge base of HEAD with the default branch; as a commit id. */
export async function resolveBase(top: string, rev: string | undefined): Promise<{ commit: string; label: string }> {
  if (rev) {
    const r = await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], top);
    if (!r.ok) throw new UsageError(`--base ${rev}: no such revision in ${top}`);
    return { commit: r.out.trim(), label: rev };
  }
  const branch = await defaultBranch(top);
  if (!branch) throw new UsageError('no default branch (origin/HEAD, main or master) to take the merge base with: name one with --base REV');
  const mb = await git(['merge-base', 'HEAD', branch], top);
  if (!mb.ok) throw new UsageError(`no merge base between HEAD and ${branch}: name the revision with --base REV`);
  return { commit: mb.out.trim(), label: `merge base with ${branch}` };
}

/** The file's text at a commit; undefined when the file did not exist there. */
export async function fileAt(top: string, commit: string, path: string): Promise<string | undefined> {
  const r = await git(['show', `${commit}:${path}`], top);
  if (r.ok) return r.out;
  if (/does not exist|exists on disk, but not in/.test(r.err)) return undefined;
  throw new UsageError(`cannot read ${path} at ${commit.slice(0, 12)}: ${r.err.split('\n')[0]}`);
}
