import { parentPort, workerData } from 'node:worker_threads';
import {
  FileError,
  xlsxGrid,
  xlsxSheets,
  type WorkerInput,
  type WorkerReply,
} from './grid-file.js';

const { buffer, limits, sheets } = workerData as WorkerInput;
let reply: WorkerReply;
try {
  reply = sheets
    ? await xlsxSheets(Buffer.from(buffer), sheets, limits)
    : { grid: await xlsxGrid(Buffer.from(buffer), limits) };
} catch (e) {
  if (!(e instanceof FileError)) throw e;
  reply = { problems: e.problems };
}
parentPort?.postMessage(reply);
