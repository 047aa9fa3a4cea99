import { parentPort, workerData } from 'node:worker_threads';
import { FileError, xlsxGrid, type WorkerInput, type WorkerReply } from './grid-file.js';

const { buffer, limits } = workerData as WorkerInput;
let reply: WorkerReply;
try {
  reply = { grid: await xlsxGrid(Buffer.from(buffer), limits) };
} catch (e) {
  if (!(e instanceof FileError)) throw e;
  reply = { problems: e.problems };
}
parentPort?.postMessage(reply);
