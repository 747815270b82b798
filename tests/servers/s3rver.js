// Starts the local S3 the DWC tests use (@20minutes/s3rver 4.0.4, installed by
// scripts/install-deps.sh under third_party/test-servers/node_modules) on 127.0.0.1 and a free
// port, storing objects in DIR, and prints the port as the first line of stdout.
// Usage: node --openssl-legacy-provider tests/servers/s3rver.js DIR [BUCKET...]
// (s3rver 4.0.4 makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in its
// legacy provider: without the flag, a listing longer than one page fails with 500 InternalError.)
// It checks SigV4 signatures of signed requests. Credentials: S3RVER / S3RVER, plus the pair in
// the environment variable S3RVER_TEST_KEY ("ACCESS_KEY_ID:SECRET", test values only; from the
// environment so that the secret is never in argv). Stops on SIGTERM/SIGINT.
'use strict';

const path = require('path');

const moduleDir = process.env.METL_TEST_SERVERS_NODE_MODULES ||
  path.join(__dirname, '..', '..', 'third_party', 'test-servers', 'node_modules');
const S3rver = require(path.join(moduleDir, '@20minutes', 's3rver'));

if (process.env.S3RVER_TEST_KEY) {
  const [id, ...secret] = process.env.S3RVER_TEST_KEY.split(':');
  const account = require(path.join(moduleDir, '@20minutes', 's3rver', 'lib', 'models', 'account'));
  account.DUMMY_ACCOUNT.createKeyPair(id, secret.join(':'));
}

const [dir, ...buckets] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node s3rver.js DIR [BUCKET...]\n');
  process.exit(2);
}

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: dir,
  configureBuckets: buckets.map((name) => ({ name })),
});

server.run().then(
  (addr) => {
    process.stdout.write(`${addr.port}\n`);
  },
  (err) => {
    process.stderr.write(`s3rver failed to start: ${err}\n`);
    process.exit(1);
  },
);

const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
