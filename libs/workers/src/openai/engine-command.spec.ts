import { ValidationError } from '@gantry/domain';
import { parseEngineCommand, renderEngineCommand } from './engine-command';

function problem(source: string, field?: string): { field: string; message: string } {
  try {
    parseEngineCommand(source, field);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations[0]!;
  }
  throw new Error(`expected "${source}" to be refused`);
}

describe('parseEngineCommand', () => {
  it('splits words, removes quotes, and lists the placeholders used', () => {
    const template = parseEngineCommand(
      `my-engine --model {model} --port={port} --opts '{"a": 1}' "--name=x y {gpus}"  `,
    );
    expect(template.words).toEqual([
      'my-engine',
      '--model',
      '{model}',
      '--port={port}',
      '--opts',
      '{"a": 1}',
      '--name=x y {gpus}',
    ]);
    expect([...template.placeholders].sort()).toEqual(['gpus', 'model', 'port']);
  });

  it.each([
    ['', 'is empty: give a command, e.g. "vllm serve {model} --port {port}"'],
    ['   \t ', 'is empty: give a command, e.g. "vllm serve {model} --port {port}"'],
    ['""', 'must contain {port}: the engine has to listen on the port the agent picks'],
    [
      'vllm serve {model}',
      'must contain {port}: the engine has to listen on the port the agent picks',
    ],
    [
      'vllm serve {modle} --port {port}',
      'has an unknown placeholder {modle} (known: {model}, {revision}, {port}, {gpus}, {host}, {node}, {simulated_engine})',
    ],
    ['serve {} --port {port}', 'has an unknown placeholder {} (known:'],
    ['serve {Port} --port {port}', 'has an unknown placeholder {Port}'],
    ['serve --name "x {port}', 'has an unterminated " quote'],
    ["serve --name 'x {port}", "has an unterminated ' quote"],
  ])('refuses %j', (source, message) => {
    const { field, message: actual } = problem(source);
    expect(field).toBe('GANTRY_ENGINE_COMMAND');
    expect(actual.startsWith(message)).toBe(true);
  });

  it('names the field it was given', () => {
    expect(problem('', 'spec.engine_command').field).toBe('spec.engine_command');
  });
});

describe('renderEngineCommand', () => {
  it('replaces placeholders inside words and never splits a value', () => {
    const template = parseEngineCommand(
      'serve {model} --port={port} --tp {gpus} --tag {model}-{revision}',
    );
    expect(
      renderEngineCommand(template, {
        model: 'org/My Model',
        port: '8000',
        gpus: '2',
        revision: 'v1',
      }),
    ).toEqual(['serve', 'org/My Model', '--port=8000', '--tp', '2', '--tag', 'org/My Model-v1']);
  });

  it('refuses to render without a value for a placeholder in use', () => {
    const template = parseEngineCommand('{node} {simulated_engine} --port {port}');
    expect(() => renderEngineCommand(template, { node: '/bin/node', port: '1' })).toThrow(
      'no value for {simulated_engine}',
    );
  });
});
