import { parentPort, workerData } from 'node:worker_threads';
import { PlanFileError, xlsxGrid, type WorkerReply } from './plan-file.js';

const buffer = Buffer.from(workerData as Uint8Array);
let reply: WorkerReply;
try {
  reply = { grid: await xlsxGrid(buffer) };
} catch (e) {
  if (!(e instanceof PlanFileError)) throw e;
  reply = { problems: e.problems };
}
parentPort?.postMessage(reply);
