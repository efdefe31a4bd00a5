import { access, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describeUnread, fixFor, groupUnread, unreadKinds } from '../../core/drift';
import { importLandingZone } from '../../core/import';
import { REGIONS, type Region } from '../../core/schema';
import { validateText } from '../../core/validate';
import { readOnlyClients } from '../../scaleway/client';
import { readInventory } from '../../scaleway/inventory';
import { CredentialsError, describeProfile, resolveProfile } from '../../scaleway/profiles';
import { DEFAULT_READ_REGIONS } from '../../scaleway/session';
import { ExitCode, UsageError, type CliCommand, type CliIo } from '../command';
import { parseOptions } from '../options';
import { takeAcceptedKinds } from './drift';

const USAGE = `Usage: landing-zone import [--profile NAME] [--out FILE] [--force] [--name ORG_NAME] [--region REGION]...
                           [--accept-not-checked KIND...]

Reads an existing organisation (read-only) and writes a landing-zone.yaml that describes it:
projects, networks, gateways, load balancers and ACLs, clusters, databases, keys, secret
metadata and applications. Planning the result against the same organisation shows no changes;
what the format cannot express is listed in the file's header. Default regions: ${DEFAULT_READ_REGIONS.join(', ')}.

When a kind cannot be read (permission denied, an error), import writes nothing and exits 1,
saying which kind, why and the permission set it needs: a file without it would describe an
organisation that does not exist. --accept-not-checked KIND... writes the file anyway, without
those kinds, and says so in its header. Resources Scaleway creates and owns (managed IAM
applications, policies and keys) are left out.`;

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Write a landing-zone.yaml from an existing organisation (read-only)',
  usage: USAGE,
  async run(argv: string[], io: CliIo): Promise<number> {
    const accepted = takeAcceptedKinds(argv);
    const { values, positionals } = parseOptions(accepted.argv, {
      profile: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false }, name: { type: 'string' }, region: { type: 'string', multiple: true },
    });
    if (positionals.length > 0) throw new UsageError(`import takes no file argument (use --out)\n${USAGE}`);
    const regions = (values.region ?? [...DEFAULT_READ_REGIONS]) as Region[];
    const bad = regions.find((r) => !(REGIONS as readonly string[]).includes(r));
    if (bad) throw new UsageError(`unknown region ${bad}; regions: ${REGIONS.join(', ')}`);
    if (values.out && !values.force) {
      const exists = await access(resolve(io.cwd, values.out)).then(() => true, () => false);
      if (exists) throw new UsageError(`${values.out} exists; pass --force to overwrite it`);
    }
    let profile;
    try {
      profile = await resolveProfile({ profile: values.profile, env: io.env });
    } catch (err) {
      if (err instanceof CredentialsError) throw new UsageError(err.message);
      throw err;
    }
    io.stderr.write(`import: organisation ${profile.organizationId} via ${describeProfile(profile)}\n`);
    let text: string;
    let notImported: number;
    try {
      const inventory = await readInventory(readOnlyClients(profile), { organizationId: profile.organizationId, regions, everyProject: true });
      // a kind this version never reads (SSO) is said in the header; a read that failed stops here
      const failed = unreadKinds([], inventory.notChecked.filter((n) => n.cause !== 'not-read'), accepted.kinds);
      const refused = failed.filter((n) => !n.accepted);
      if (refused.length) {
        const groups = groupUnread(refused);
        io.stderr.write(`landing-zone import: nothing written: ${groups.length} kind(s) could not be read or compared, with ${describeProfile(profile)}, and a file without them would describe another organisation:\n`);
        for (const n of groups) io.stderr.write(`  ${describeUnread(n, 'account')}\n    fix: ${fixFor(n)}\n`);
        return ExitCode.findings;
      }
      if (failed.length) io.stderr.write(`import: not read, accepted (--accept-not-checked), so not in the file: ${[...new Set(failed.map((n) => n.kind))].join(', ')}\n`);
      const result = importLandingZone(inventory, { organizationName: values.name });
      text = result.text;
      notImported = result.notImported.length;
    } catch (err) {
      io.stderr.write(`landing-zone import: cannot read the account: ${(err as Error).message}\n`);
      return ExitCode.findings;
    }
    const errors = validateText(text, values.out ?? 'landing-zone.yaml').issues.filter((i) => i.severity === 'error');
    if (values.out) {
      // written whole or not at all: a temporary file next to it, then a rename
      const target = resolve(io.cwd, values.out);
      const tmp = join(dirname(target), `.${process.pid}.${Date.now()}.import.tmp`);
      try {
        await writeFile(tmp, text);
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw new UsageError(`cannot write ${values.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      io.stderr.write(`import: wrote ${values.out}${notImported ? `; ${notImported} resource(s) not described (see its header)` : ''}\n`);
    } else {
      io.stdout.write(text);
    }
    for (const e of errors) io.stderr.write(`import: the result has an error at ${e.range.start.line + 1}:${e.range.start.character + 1}: ${e.message}\n`);
    return errors.length ? ExitCode.findings : ExitCode.ok;
  },
};
