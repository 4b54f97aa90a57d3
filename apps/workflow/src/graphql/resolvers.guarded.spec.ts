import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findUnguardedResolvers } from '@otklik/auth';

/** Every class exported by every `*.resolver.ts` of the app: a new resolver cannot be left out of the check. */
function allResolvers(): Array<new (...args: never[]) => unknown> {
  const root = join(__dirname, '..');
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.resolver.ts'));
  return files.flatMap((file) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the files found on disk
    Object.values(require(join(root, file)) as Record<string, unknown>).filter(
      (value): value is new (...args: never[]) => unknown => typeof value === 'function',
    ),
  );
}

describe('guarded by default (STYLE.md §10)', () => {
  it('finds the resolvers of every feature folder', () => {
    const names = allResolvers().map((r) => r.name);
    for (const name of [
      'CaseResolver',
      'CaseWorkflowResolver',
      'DraftResolver',
      'DeadlinePolicyResolver',
      'AttachmentResolver',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('every query, mutation and subscription of workflow states who may call it (@Roles or @AnyViewer)', () => {
    expect(findUnguardedResolvers(allResolvers())).toEqual([]);
  });
});
