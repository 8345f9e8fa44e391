import { FilePurpose, type File } from '@gantry/proto';
import type { FileRecord } from '@gantry/store';

export function toProtoFile(file: FileRecord): File {
  return {
    id: file.id,
    filename: file.filename,
    purpose:
      file.purpose === 'input' ? FilePurpose.FILE_PURPOSE_INPUT : FilePurpose.FILE_PURPOSE_OUTPUT,
    bytes: file.bytes,
    sha256: file.sha256,
    createTime: new Date(file.createdAt),
    jobId: file.jobId ?? '',
    lines: file.lines,
  };
}
