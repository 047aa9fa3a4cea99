import type { Generated } from 'kysely';

export interface FileImportsTable {
  id: Generated<number>;
  kind: string;
  partnership_id: number;
  user_id: number | null;
  filename: string;
  content: Buffer;
  /** JSON: what the form said besides the file. */
  options: string;
  /** JSON, once imported. */
  result: string | null;
  created_at: string;
}
