/**
 * The spec files `gantry submit --help` shows, one per kind. spec-file.spec.ts decodes each, so
 * the help never shows a file the CLI would refuse.
 */
export const SPEC_FILE_EXAMPLES: Readonly<Record<string, string>> = {
  'batch.yaml': `# OpenAI Batch request lines, answered on self-hosted engines, 2 shards of 1 GPU
name: eval-batch
resources: { gpus: 1 }
inference_batch:
  model: Qwen/Qwen2.5-7B-Instruct
  input_file: ./requests.jsonl      # uploaded first; or input_file_id: file_...
  endpoint: /v1/chat/completions
  completion_window: 24h
  shards: 2`,
  'reasoning.yaml': `# a DAG of inference steps for one question; identical calls run once
resources: { gpus: 1 }
inference_reasoning:
  model: Qwen/Qwen2.5-7B-Instruct
  question: What is 17 * 23?
  answer: '391'
  steps:
    - { id: draft, sample: { n: 8, prompt: '{{question}}', temperature: 0.8 } }
    - { id: check, verify: { input: draft, verifier: exact-answer, stop_when_accepted: true } }
    - { id: final, vote: { input: draft } }
  output: final`,
  'rl.yaml': `# K rollouts per problem, scored by a verifier, kept as a dataset
queue: rl
resources: { gpus: 1 }
rl_synthetic:
  policy_model: Qwen/Qwen2.5-Math-7B
  problems_file: ./problems.jsonl   # uploaded first; or problems_file_id: file_...
  samples_per_problem: 8
  verifier: exact-answer
  sampling: { temperature: 1.0, max_tokens: 1024 }`,
  'train.yaml': `# a command, as after --
resources: { gpus: 4, gpu_model: H100-80GB }
time_limit: 1h30m
command: { argv: [python, train.py, --lr, '3e-4'], env: { HF_HOME: /data/hf } }`,
};

/** The examples as --help shows them: each file under its name, indented. */
export function specFileExamplesHelp(): string {
  return Object.entries(SPEC_FILE_EXAMPLES)
    .map(([name, text]) => `  ${name}:\n${text.replace(/^/gm, '    ')}`)
    .join('\n');
}
