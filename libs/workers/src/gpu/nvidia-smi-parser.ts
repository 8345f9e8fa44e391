import { gpuModelFromDriverName, ValidationError } from '@gantry/domain';
import { MIB, type GpuDevice } from './inventory';

/** The query whose output `parseNvidiaSmiGpus` reads; the columns must stay in this order. */
export const NVIDIA_SMI_ARGS: readonly string[] = [
  '--query-gpu=index,uuid,name,memory.total',
  '--format=csv,noheader',
];

const NOT_AVAILABLE =
  /^\[(N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU is lost)\]$/i;

const UNIT_BYTES: Record<string, number> = {
  '': MIB, // `--format=csv,noheader,nounits` prints MiB without the unit
  mib: MIB,
  gib: 1024 * MIB,
  kib: 1024,
  b: 1,
};

function memoryBytes(text: string, line: number): number {
  if (NOT_AVAILABLE.test(text)) return 0;
  const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(text);
  const unit = match ? UNIT_BYTES[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined)
    throw ValidationError.field(`nvidia-smi line ${line}`, `memory.total "${text}" is not a size`);
  return Math.round(Number(match[1]) * unit);
}

/**
 * Parses the output of `nvidia-smi --query-gpu=index,uuid,name,memory.total
 * --format=csv,noheader`: one GPU per line, e.g.
 * `0, GPU-5e5c1fd4-9a1e-7c5b-04a6-2a3f55c6b1d2, NVIDIA H100 80GB HBM3, 81559 MiB`.
 * Tolerates blank lines, stray spaces and CRLF; a `[N/A]` memory becomes 0 and a `[N/A]` uuid
 * becomes `GPU-INDEX-<index>`. Names map to catalog models with gpuModelFromDriverName (null
 * when unknown). Throws ValidationError naming the line when a line is not of this form.
 */
export function parseNvidiaSmiGpus(output: string): GpuDevice[] {
  const gpus: GpuDevice[] = [];
  output.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.trim();
    if (text === '') return;
    const fields = text.split(',').map((f) => f.trim());
    // A name may itself contain a comma: everything between uuid and memory is the name.
    if (fields.length < 4)
      throw ValidationError.field(
        `nvidia-smi line ${i + 1}`,
        `expected "index, uuid, name, memory.total", got "${text}"`,
      );
    const [indexText, uuidText] = fields;
    const memoryText = fields[fields.length - 1]!;
    const name = fields.slice(2, -1).join(', ');
    if (!/^\d+$/.test(indexText!))
      throw ValidationError.field(
        `nvidia-smi line ${i + 1}`,
        `index "${indexText}" is not a number`,
      );
    const index = Number(indexText);
    gpus.push({
      index,
      uuid: NOT_AVAILABLE.test(uuidText!) ? `GPU-INDEX-${index}` : uuidText!,
      name,
      model: gpuModelFromDriverName(name) ?? null,
      memoryBytes: memoryBytes(memoryText, i + 1),
    });
  });
  return gpus.sort((a, b) => a.index - b.index);
}
