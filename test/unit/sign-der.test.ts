import { createHash, type X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../shared/errors';
import { HttpClient } from '../../shared/http/client';
import {
  booleanValue,
  childrenOf,
  DerError,
  integer,
  integerValue,
  nullValue,
  octetString,
  oid,
  oidText,
  readOnly,
} from '../../shared/sign/der';
import { httpTimestamper, timestampRequest } from '../../shared/sign/timestamp';

// The DER under the RFC 3161 request and reply, against encodings the standards print: X.690 §8.3 (integers),
// §8.19 (object identifiers, e.g. RFC 5754 §2's id-sha256), §8.1.3 (long lengths); and the TimeStampReq of RFC 3161
// §2.4.1 for a known digest and nonce, written out by hand.

const hex = (b: Buffer) => b.toString('hex');

describe('DER encoding and reading', () => {
  it('writes integers in their shortest two’s-complement form, and reads negative ones', () => {
    expect([0n, 127n, 128n, 256n, 1n << 64n].map((n) => hex(integer(n)))).toEqual([
      '020100',
      '02017f',
      '02020080',
      '02020100',
      '0209010000000000000000',
    ]);
    expect(integerValue(readOnly(Buffer.from('0201ff', 'hex')))).toBe(-1n);
    expect(integerValue(readOnly(Buffer.from('02020080', 'hex')))).toBe(128n);
  });

  it('writes and reads object identifiers (id-sha256, id-ct-TSTInfo)', () => {
    expect(hex(oid('2.16.840.1.101.3.4.2.1'))).toBe('0609608648016503040201');
    expect(hex(oid('1.2.840.113549.1.9.16.1.4'))).toBe('060b2a864886f70d0109100104');
    for (const text of ['2.16.840.1.101.3.4.2.3', '1.3.6.1.5.5.7.3.8', '2.5.29.37']) {
      expect(oidText(readOnly(oid(text)))).toBe(text);
    }
  });

  it('uses the long length form from 128 octets, and reads it back', () => {
    const long = octetString(Buffer.alloc(200, 7));
    expect(hex(long.subarray(0, 3))).toBe('0481c8');
    expect(readOnly(long).content).toEqual(Buffer.alloc(200, 7));
    expect([hex(booleanValue(true)), hex(booleanValue(false)), hex(nullValue())]).toEqual(['0101ff', '010100', '0500']);
  });

  it('refuses BER indefinite lengths, truncation and trailing bytes', () => {
    expect(() => readOnly(Buffer.from('30800500' + '0000', 'hex'))).toThrow(DerError);
    expect(() => readOnly(Buffer.from('3005050000', 'hex'))).toThrow(/truncated/);
    expect(() => readOnly(Buffer.from('050000', 'hex'))).toThrow(/trailing/);
  });
});

describe('the RFC 3161 TimeStampReq', () => {
  it('is version 1, the message imprint with NULL parameters, the nonce and certReq true, nothing else', () => {
    const digest = createHash('sha256').update('signature value').digest('hex');
    const request = timestampRequest(Buffer.from('signature value'), 'sha256', 0x0102n);
    expect(hex(request.der)).toBe(
      '303d' + '020101' + '3031' + '300d' + '0609608648016503040201' + '0500' + '0420' + digest + '02020102' + '0101ff',
    );
    expect(childrenOf(readOnly(request.der))).toHaveLength(4);
  });

  it('draws a fresh positive nonce below 2^159 for every request', () => {
    const nonces = Array.from({ length: 20 }, () => timestampRequest(Buffer.from('x'), 'sha384').nonce);
    expect(new Set(nonces).size).toBe(20);
    for (const nonce of nonces) expect(nonce >= 0n && nonce < 1n << 159n).toBe(true);
  });
});

describe('a TSA that answers no time-stamp reply', () => {
  // A loopback server standing for the TSA: it answers every POST with the status under test.
  let server: Server;
  let url: string;
  let status = 200;
  const http = new HttpClient({ timeoutMs: 5_000, retry: { attempts: 1 } });
  const root = undefined as unknown as X509Certificate;
  const labels = { url: 'timestampUrl', root: 'timestampRootCert' };
  const stamp = (at: string) => httpTimestamper(http, at, root, labels, () => new Date())(Buffer.from('sig'), 'sha256');

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (status !== 200) {
          res.writeHead(status, { 'content-type': 'text/plain' }).end('no');
          return;
        }
        // A "reply" that never ends: 64 KiB chunks for as long as the client reads them.
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        const chunk = Buffer.alloc(64 * 1024, 0x30);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  });
  afterAll(async () => {
    await http.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([401, 404, 503])(
    'names the URL input as the platform spells it when the TSA answers %i, and asks for no password',
    async (code) => {
      status = code;
      const error = (await stamp(url).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toContain("'timestampUrl'");
      expect(error.message).not.toMatch(/username|password/);
      expect(error.message).toContain('nothing was written');
    },
  );

  it('stops reading a reply at 1 MiB, as tspclient-go does, instead of holding all of an endless one', async () => {
    status = 200;
    const error = (await stamp(url).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `Input 'timestampUrl': ${new URL(url).host} did not answer with a time-stamp reply (application/timestamp-reply, more than 1048576 bytes): is it an RFC 3161 TSA URL?`,
    );
  }, 10_000);

  it('names the URL input when nothing answers at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = (await stamp(`http://127.0.0.1:${port}/tsa`).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(
      /^Input 'timestampUrl': POST .* failed: .*connection refused.*; nothing was written$/,
    );
  });
});
