import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * Microsoft Entra ID's part in the benchmark, on loopback: one tenant's key
 * endpoint (the JWKS the API fetches) and the tokens it would issue. So the API
 * runs as deployed (NODE_ENV=production, Entra sign-in) rather than with the
 * development issuer, which production refuses.
 */
export async function startEntra() {
  const tenant = randomUUID();
  const clientId = randomUUID();
  const kid = `bench-${randomUUID().slice(0, 8)}`;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server = http.createServer((req, res) => {
    if (req.url !== `/${tenant}/discovery/v2.0/keys`) return res.writeHead(404).end();
    res.setHeader('content-type', 'application/json');
    res.end(jwks);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    tenant,
    clientId,
    jwksUri: `http://127.0.0.1:${server.address().port}/{tenant}/discovery/v2.0/keys`,
    /** An access token for the API as a person (delegated access_as_user), valid for four hours. */
    signForPerson(email) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: tenant, ver: '2.0', scp: 'access_as_user', preferred_username: email, oid: randomUUID() })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(`https://login.microsoftonline.com/${tenant}/v2.0`)
        .setAudience(clientId)
        .setIssuedAt(now - 5)
        .setNotBefore(now - 5)
        .setExpirationTime(now + 4 * 3600)
        .sign(privateKey);
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
