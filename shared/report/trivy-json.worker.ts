/**
 * The worker thread of trivy-split.ts: scans the vulnerabilities of a report's second half. Bundled as its own entry
 * beside the chunk that starts it (scripts/bundle.ts).
 */
import { workerData } from 'node:worker_threads';
import { runWorker } from './trivy-split';

runWorker(workerData);
