// oidc-provider (a certified OpenID Provider) as a real peer on loopback, for sso-harness.
//
//   node server.mjs --client-id ID --client-secret SECRET --redirect-uri URI [--redirect-uri URI ...]
//   (or SSO_HARNESS_PEER_CLIENT_SECRET=SECRET in the environment instead of --client-secret)
//                   [--port 0] [--application-type web|native] [--accounts FILE]
//
// Listens on 127.0.0.1 (port 0: the kernel picks one), then prints one JSON line
//   {"event":"listening","issuer":"http://127.0.0.1:PORT","port":PORT}
// which the harness waits for. Configuration, all of it for testing only:
// - one confidential client (client_secret_basic), code flow, PKCE required (S256);
//   a "native" client may use any loopback port for its http://127.0.0.1 redirect
//   URIs (RFC 8252 §7.3), so the harness's callback catcher can take an ephemeral port;
// - RS256 signing key generated at start (never written anywhere);
// - accounts from --accounts (JSON: {"accountId": {claims...}}); an unknown login is refused
//   with access_denied at the client's redirect URI;
// - devInteractions: oidc-provider's built-in login and consent pages. They accept any
//   password: the peer checks who signs in, not how;
// - email/profile claims placed in the ID token (conformIdTokenClaims off) so the
//   harness can check them where it verifies the signature.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'application-type': { type: 'string', default: 'web' },
    accounts: { type: 'string' },
    'cookie-prefix': { type: 'string', default: 'oidcpeer' },
  },
});

// The secret may come from the environment instead of argv: process lists and
// start-up error messages then never show it.
args['client-secret'] ??= process.env.SSO_HARNESS_PEER_CLIENT_SECRET;

for (const required of ['client-id', 'client-secret', 'redirect-uri']) {
  if (!args[required]) {
    process.stderr.write(`server.mjs: --${required} is required\n`);
    process.exit(2);
  }
}

const accounts = args.accounts ? JSON.parse(readFileSync(args.accounts, 'utf8')) : {};

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `peer-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
}

function configuration() {
  const prefix = args['cookie-prefix'];
  return {
    clients: [{
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: args['redirect-uri'],
      application_type: args['application-type'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    pkce: { required: () => true },
    jwks: { keys: [signingKey()] },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      names: { session: `${prefix}_session`, interaction: `${prefix}_interaction`, resume: `${prefix}_resume` },
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      // devInteractions takes any login; an account we do not know is refused the OAuth way,
      // with access_denied sent to the client's redirect_uri (RFC 6749 §4.1.2.1).
      if (!Object.hasOwn(accounts, id)) throw new errors.AccessDenied(`unknown account ${JSON.stringify(id)}`);
      return { accountId: id, async claims() { return { ...accounts[id], sub: id }; } };
    },
  };
}

const server = createServer();
server.listen(Number(args.port), args.host, () => {
  const { port } = server.address();
  const issuer = `http://${args.host}:${port}`;
  const provider = new Provider(issuer, configuration());
  // Say why a request failed; the harness keeps this output in the peer's log.
  provider.on('server_error', (ctx, err) => process.stderr.write(`server_error ${ctx.method} ${ctx.path}: ${err.stack}\n`));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ event: 'listening', issuer, port })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
