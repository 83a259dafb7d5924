import type * as Crypto from 'node:crypto';
import type * as Tls from 'node:tls';
import { UserError } from '../errors';
import type { NetworkSettings } from '../platform';
import { readUserText } from '../util/files';

// node:tls and node:crypto load when a client's trust is read, not on import: this module is part of every step's
// start (through the step context), and a step stopped by its inputs needs neither (bench/startup).
/* eslint-disable @typescript-eslint/no-require-imports */
const tls = () => require('node:tls') as typeof Tls;
const crypto = () => require('node:crypto') as typeof Crypto;
/* eslint-enable @typescript-eslint/no-require-imports */

export interface TrustInputs {
  /** PEM file of a CA to trust in addition to the system roots. */
  caFile?: string;
  /** The input the CA file came from, as the user spells it, for the error when it cannot be read. */
  caFileInput?: string;
  /** Skip TLS verification (warned here, once per client). */
  insecure?: boolean;
  network?: NetworkSettings;
  warning?: (message: string) => void;
}

/**
 * The TLS trust of one HTTP client, read where the step's settings are parsed: the CA files (the step's input and the
 * runner's) are read here, so an unreadable one fails with its input's name before any request, and constructing an
 * HttpClient never touches the disk or the log. `ca` is undefined when Node's defaults apply.
 */
export function loadTrust(inputs: TrustInputs): { ca?: string[]; insecure: boolean } {
  const files = [...(inputs.network?.caFiles ?? []), ...(inputs.caFile ? [inputs.caFile] : [])];
  const ca =
    files.length > 0
      ? [
          ...tls().rootCertificates,
          ...files.map((f) => readCa(f, f === inputs.caFile ? inputs.caFileInput : undefined)),
        ]
      : undefined;
  if (inputs.insecure)
    inputs.warning?.('TLS certificate verification is disabled (insecure); use a CA file instead where you can');
  return { ca, insecure: inputs.insecure ?? false };
}

function readCa(file: string, input?: string): string {
  const from = input ? ` (input '${input}')` : '';
  const text = readUserText(
    file,
    (code) =>
      `Cannot read CA file ${file}${from}: ${code === 'EISDIR' ? 'it is a directory; give the PEM file' : code}`,
  );
  // Node ignores what it cannot parse in `ca` and then fails every TLS handshake with a misleading "unable to verify".
  const pem = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const { X509Certificate } = crypto();
  const valid = pem.filter((block) => {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  });
  if (valid.length === 0)
    throw new UserError(
      `CA file ${file}${from} holds no PEM certificate (-----BEGIN CERTIFICATE----- … ); give the CA's certificate in PEM form`,
    );
  return text;
}
