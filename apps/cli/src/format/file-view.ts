import { type File, FilePurpose } from '@gantry/proto';
import { formatAge } from '../spec/duration';
import { renderFields, renderTable, type Column } from './table';
import { formatBytes } from './transfer-progress';

/** `input` (uploaded) or `output` (a job's). */
export function purposeName(purpose: FilePurpose): string {
  if (purpose === FilePurpose.FILE_PURPOSE_INPUT) return 'input';
  if (purpose === FilePurpose.FILE_PURPOSE_OUTPUT) return 'output';
  return '';
}

/** `ID NAME PURPOSE SIZE LINES JOB AGE`; wide adds SHA256 and CREATED, uncut. */
export function fileColumns(now: number, wide: boolean): Column<File>[] {
  const columns: Column<File>[] = [
    { header: 'ID', value: (f) => f.id },
    { header: 'NAME', value: (f) => f.filename, maxWidth: 32 },
    { header: 'PURPOSE', value: (f) => purposeName(f.purpose) },
    { header: 'SIZE', value: (f) => formatBytes(f.bytes), align: 'right' },
    { header: 'LINES', value: (f) => f.lines.toLocaleString('en-US'), align: 'right' },
    { header: 'JOB', value: (f) => f.jobId },
    { header: 'AGE', value: (f) => formatAge(f.createTime?.getTime(), now), align: 'right' },
  ];
  if (!wide) return columns;
  return [
    ...columns,
    { header: 'SHA256', value: (f) => f.sha256 },
    { header: 'CREATED', value: (f) => f.createTime?.toISOString() ?? '' },
  ];
}

export function renderFileTable(files: readonly File[], now: number, wide: boolean): string {
  return renderTable(fileColumns(now, wide), files, { wide });
}

/** `gantry files get`: every field of one file; empty ones left out. */
export function renderFileDetails(file: File, now: number): string {
  const fields: [string, string][] = [
    ['ID', file.id],
    ['Name', file.filename],
    ['Purpose', purposeName(file.purpose)],
    ['Size', `${formatBytes(file.bytes)} (${file.bytes.toLocaleString('en-US')} bytes)`],
    ['Lines', file.lines.toLocaleString('en-US')],
    ['SHA-256', file.sha256],
    [
      'Created',
      file.createTime
        ? `${file.createTime.toISOString()} (${formatAge(file.createTime.getTime(), now)} ago)`
        : '',
    ],
    ['Job', file.jobId],
  ];
  return renderFields(fields.filter(([, value]) => value !== ''));
}
