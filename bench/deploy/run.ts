/**
 * npx tsx bench/deploy/run.ts [archive-mib=16] [rounds=200]
 *
 * 1. Pre-cluster validation: profile values, user values, chart key check, merged-values checks — per profile.
 * 2. helm install from a loopback mirror: sha256-verified streaming download + unpack of an archive the size of a
 *    real helm release (~16 MiB), with the process's RSS growth (the archive is streamed, never buffered whole).
 * 3. The whole step with fake helm/kubectl on PATH (process spawns dominate).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { httpClientFor, runCapability } from '../../shared/capability';
import deploy from '../../shared/capabilities/deploy';
import { checkMergedValues, harborOptions, userValues } from '../../shared/capabilities/deploy/options';
import { pinnedChartValues, unknownPaths } from '../../shared/helm/chart-values';
import { harborValues } from '../../shared/helm/harbor-profiles';
import { helmArchive, installHelm } from '../../shared/helm/helm-install';
import { mergeValues } from '../../shared/helm/values';
import { readSettings } from '../../shared/inputs/parse';
import { FakePlatform } from '../../test/support/fake-platform';

const archiveMiB = Number(process.argv[2] ?? 16);
const rounds = Number(process.argv[3] ?? 200);
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const BASE = {
  hostname: 'harbor.example.com',
  'admin-password': 'Bench-Adm1n',
  wait: 'false',
  'cert-manager-issuer': 'letsencrypt',
};
const PROFILES: Record<string, Record<string, string>> = {
  'managed-disks': { profile: 'managed-disks' },
  'external-services': {
    profile: 'external-services',
    'database-host': 'pg',
    'database-username': 'u',
    'database-password': 'p',
    'redis-addr': 'r:6379',
  },
  'availability-zones': { profile: 'availability-zones', set: 'core.replica=2\nexpose.ingress.annotations.a\\.b/c=1' },
};

function validation(): void {
  console.log(`\n## Pre-cluster validation (${rounds} rounds each)\n\n| profile | mean | p95 |\n| --- | ---: | ---: |`);
  const chart = pinnedChartValues();
  for (const [name, inputs] of Object.entries(PROFILES)) {
    const platform = new FakePlatform({ ...BASE, ...inputs });
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const settings = readSettings(deploy.definition, platform);
      const { values } = harborValues(harborOptions(settings, platform));
      const extra = userValues(settings, platform);
      unknownPaths(values, chart);
      unknownPaths(extra, chart);
      checkMergedValues(mergeValues(values, extra), chart, platform);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(`| ${name} | ${mean.toFixed(2)} ms | ${times[Math.floor(times.length * 0.95)].toFixed(2)} ms |`);
  }
}

async function install(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-helm-'));
  const version = '3.99.0';
  const archive = helmArchive(version);
  mkdirSync(join(dir, 'src', archive.folder), { recursive: true });
  // incompressible filler, so the archive really has the size of a helm release
  writeFileSync(
    join(dir, 'src', archive.folder, archive.binary),
    Buffer.concat([Buffer.from('#!/bin/sh\necho v3.99.0\nexit 0\n'), randomBytes(archiveMiB * 1024 * 1024)]),
  );
  chmodSync(join(dir, 'src', archive.folder, archive.binary), 0o755);
  execFileSync('tar', ['-czf', join(dir, archive.file), '-C', join(dir, 'src'), archive.folder]);
  const body = readFileSync(join(dir, archive.file));
  const sum = Buffer.from(`${createHash('sha256').update(body).digest('hex')}  ${archive.file}\n`);
  const server = createServer((req, res) => res.end(req.url?.endsWith('.sha256sum') ? sum : body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;

  const platform = new FakePlatform();
  const http = httpClientFor(platform);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = performance.now();
  await installHelm(platform, http, version, `http://127.0.0.1:${port}`);
  const ms = performance.now() - start;
  clearInterval(sampler);
  const cached = performance.now();
  await installHelm(platform, http, version, `http://127.0.0.1:${port}`);
  const cachedMs = performance.now() - cached;
  console.log(`\n## helm install from a loopback mirror\n`);
  console.log(
    `| archive | download + sha256 + unpack + cache | throughput | RSS growth (peak) | cache hit |\n| ---: | ---: | ---: | ---: | ---: |`,
  );
  console.log(
    `| ${mib(body.length)} | ${ms.toFixed(0)} ms | ${(body.length / 1024 / 1024 / (ms / 1000)).toFixed(0)} MiB/s | ${mib(peak - rssBefore)} | ${cachedMs.toFixed(1)} ms |`,
  );
  await http.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

async function step(): Promise<void> {
  const state = mkdtempSync(join(tmpdir(), 'bench-state-'));
  process.env.PATH = `${join(__dirname, '../../test/fixtures/fake-helm')}${delimiter}${process.env.PATH}`;
  process.env.FAKE_HELM_STATE = state;
  console.log(`\n## Whole step with fake helm/kubectl (5 runs each)\n\n| profile | mean |\n| --- | ---: |`);
  for (const [name, inputs] of Object.entries(PROFILES)) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const platform = new FakePlatform({ ...BASE, ...inputs });
      const start = performance.now();
      await runCapability(deploy, platform);
      if (platform.result?.result !== 'succeeded') throw new Error(`${name}: ${platform.result?.message}`);
      times.push(performance.now() - start);
    }
    console.log(`| ${name} | ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(0)} ms |`);
  }
  rmSync(state, { recursive: true, force: true });
}

async function main(): Promise<void> {
  validation();
  await install();
  await step();
}

void main();
