import { ConfigError, readConfig } from './config';
import { runCopy } from './copy';

/*
 * The entry point Scaleway's Node runtime calls (handler `handler.handle`): once per cron run,
 * or per HTTP call of the (private) function. The event is ignored: everything the copy needs is
 * in the namespace's environment. It answers 200 with the run's summary when the manifest says
 * ok, 500 otherwise, so the function's logs and metrics show a failed copy as a failure.
 */

interface FunctionResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export async function handle(_event?: unknown, _context?: unknown): Promise<FunctionResult> {
  const reply = (statusCode: number, body: unknown): FunctionResult => ({ statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  try {
    const config = readConfig(process.env);
    const manifest = await runCopy(config, () => new Date(), (line) => console.log(line));
    const summary = {
      status: manifest.status, startedAt: manifest.startedAt, finishedAt: manifest.finishedAt,
      databases: manifest.databases.length, databasesCopied: manifest.databases.filter((d) => d.copied).length,
      veleroCopied: manifest.velero?.copied ?? 0, veleroRemaining: manifest.velero?.remaining ?? 0, errors: manifest.errors,
    };
    console.log(`backup copy ${manifest.status}: ${summary.databasesCopied}/${summary.databases} database backups and ${summary.veleroCopied} Velero objects copied, ${manifest.errors.length} error(s)`);
    for (const e of manifest.errors) console.error(e);
    return reply(manifest.status === 'ok' ? 200 : 500, summary);
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `backup copy failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    console.error(message);
    return reply(500, { status: 'failed', errors: [message] });
  }
}
