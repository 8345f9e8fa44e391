import { FilePurpose, type File } from '@gantry/proto';
import { type FileApi } from '../connection/file-api';

/**
 * An input file the tenant already uploaded with this name and content (newest first), so a
 * retried `submit -f --idempotency-key` sends the same `input_file_id` rather than a new
 * upload's, which the server would take for another spec.
 */
export async function findUploaded(
  api: Pick<FileApi, 'listFiles'>,
  filename: string,
  sha256: string,
): Promise<File | undefined> {
  let pageToken = '';
  do {
    const page = await api.listFiles({ pageSize: 1000, pageToken });
    const hit = page.files.find(
      (f) =>
        f.purpose === FilePurpose.FILE_PURPOSE_INPUT &&
        f.filename === filename &&
        f.sha256 === sha256,
    );
    if (hit) return hit;
    pageToken = page.nextPageToken;
  } while (pageToken !== '');
  return undefined;
}
