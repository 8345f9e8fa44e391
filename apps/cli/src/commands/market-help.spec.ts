import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';

const COMMANDS = [
  ['offers'],
  ['quote'],
  ['lease'],
  ['lease', 'create'],
  ['lease', 'get'],
  ['lease', 'list'],
  ['lease', 'watch'],
  ['lease', 'extend'],
  ['lease', 'release'],
  ['lease', 'reclaim'],
  ['usage'],
  ['statement'],
  ['renters'],
  ['renters', 'create'],
  ['renters', 'list'],
  ['renters', 'top-up'],
  ['renters', 'spend-limit'],
  ['prices'],
  ['prices', 'list'],
  ['prices', 'set'],
  ['market'],
  ['market', 'history'],
];

describe('the market commands', () => {
  it.each(COMMANDS)('%s ... has --help with examples of itself', async (...path: string[]) => {
    const { env, stdout } = fakeEnvironment({});
    await expect(runCli([...path, '--help'], env)).resolves.toBe(0);
    expect(stdout.text).toContain(`Usage: gantry ${path.join(' ')}`);
    expect(stdout.text).toContain('Examples:');
    expect(stdout.text).toContain(`  gantry ${path.join(' ')}`);
  });

  it("are in gantry --help, with the lease watch's exit codes", async () => {
    const { env, stdout } = fakeEnvironment({});
    await runCli(['--help'], env);
    for (const name of [
      'offers',
      'quote',
      'lease',
      'usage',
      'statement',
      'renters',
      'prices',
      'market',
    ])
      expect(stdout.text).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(stdout.text).toContain(
      '13  lease watch / lease create --watch: the lease was reclaimed',
    );
    expect(stdout.text).toContain(
      '14  lease watch / lease create --watch: the lease ended unfunded or failed',
    );
  });
});
