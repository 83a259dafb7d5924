// The worker of shared/report/trivy-split.ts started from source, for tests (the bundles ship it built: scripts/bundle.ts).
require('tsx/cjs');
require('../../shared/report/trivy-json.worker.ts');
