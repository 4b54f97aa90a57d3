// npm run token -- LOGIN
// Prints a development JWT for LOGIN, as the gateway accepts it in development
// (HS256 with AUTH_JWT_SECRET, or the development secret in libs/auth/src/development.json).
// Only the token goes to stdout, so that `TOKEN=$(npm run -s token -- official)` works;
// everything else goes to stderr.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_LOGINS } from './demo-logins.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const developmentFile = path.join(repoRoot, 'libs', 'auth', 'src', 'development.json');

function refuse(message) {
  console.error(`token: ${message}`);
  process.exit(1);
}

if (process.env.NODE_ENV === 'production') {
  refuse('refusing to make a development token when NODE_ENV=production.');
}

const login = process.argv[2];
if (!login) {
  refuse(`usage: npm run token -- LOGIN   (demo logins: ${DEMO_LOGINS.join(', ')})`);
}
if (!DEMO_LOGINS.includes(login)) {
  console.error(
    `token: warning: "${login}" is not a demo login (${DEMO_LOGINS.join(', ')}); the gateway will not know it unless you created it.`,
  );
}

let development;
try {
  development = JSON.parse(fs.readFileSync(developmentFile, 'utf8'));
} catch (error) {
  refuse(`cannot read ${path.relative(repoRoot, developmentFile)} (${error.message}).`);
}

const secret = process.env.AUTH_JWT_SECRET || development.jwtSecret;
const { SignJWT } = await import('jose');
const token = await new SignJWT({})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(login)
  .setIssuer(development.issuer ?? 'otklik-dev')
  .setAudience(development.audience ?? 'otklik')
  .setIssuedAt()
  .setExpirationTime('12h')
  .sign(new TextEncoder().encode(secret));

console.log(token);
