// An OpenID Connect provider for the test suite, on 127.0.0.1 only: the npm package
// oidc-provider (a certified implementation), set up like ProConnect (signed userinfo,
// acr_values, end-session with id_token_hint), with French, accessible pages of its own.
//
// Environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS and POST_LOGOUT_REDIRECT_URIS
// (comma-separated), USERS_FILE (JSON {subject: {claims}}, read at every sign-in).
// Test controls: POST /test/mode?set=signature|audience|expired|  makes the token endpoint
// return a forged ID token (wrong key, another audience, expired); GET /test/log lists the
// authorization and end-session requests received.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const list = (name) => (process.env[name] || '').split(',').filter(Boolean);
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const KID = 'cle-de-test';
const signing = await generateKeyPair('RS256', { extractable: true });
const forger = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(signing.privateKey)), kid: KID, alg: 'RS256', use: 'sig' };

let mode = '';
const log = [];

function page(title, body) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: list('REDIRECT_URIS'),
    post_logout_redirect_uris: list('POST_LOGOUT_REDIRECT_URIS'),
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['cle-des-cookies-du-fournisseur-de-test'] },
  acrValues: ['eidas1', 'eidas2'],
  claims: {
    openid: ['sub'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    FrEduRneResp: ['FrEduRneResp'],
  },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Se déconnecter du fournisseur de test',
          `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Déconnexion réussie', '<p>Vous êtes déconnecté.</p>');
      },
    },
  },
  pkce: { required: () => false },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Erreur du fournisseur de test', `<p>${escape(out.error)} : ${escape(out.error_description)}</p>`);
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const users = JSON.parse(readFileSync(process.env.USERS_FILE, 'utf8'));
    if (!users[sub]) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...users[sub] }) };
  },
  // Every requested scope is granted: the test provider has no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.params.scope);
    if (ctx.oidc.params.claims) grant.addOIDCClaims(Object.keys(JSON.parse(ctx.oidc.params.claims).userinfo || {}));
    await grant.save();
    return grant;
  },
});

async function forge(idToken) {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = signing.privateKey;
  if (mode === 'signature') key = forger.privateKey;
  if (mode === 'audience') claims.aud = 'un-autre-service';
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/auth' || ctx.path === '/session/end') log.push({ path: ctx.path, query: ctx.query });
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && mode && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await forge(ctx.body.id_token) };
  }
});

function readForm(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(new URLSearchParams(data)));
  });
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  try {
    if (url.pathname === '/test/mode' && req.method === 'POST') {
      mode = url.searchParams.get('set') || '';
      res.end(mode);
      return;
    }
    if (url.pathname === '/test/log') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(log));
      return;
    }
    const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login|\/abort)?$/);
    if (match) {
      const details = await provider.interactionDetails(req, res);
      if (match[2] === '/abort') {
        await provider.interactionFinished(req, res, {
          error: 'access_denied', error_description: 'connexion annulée par la personne',
        }, { mergeWithLastSubmission: false });
        return;
      }
      if (match[2] === '/login') {
        const login = (await readForm(req)).get('login') || '';
        const users = JSON.parse(readFileSync(process.env.USERS_FILE, 'utf8'));
        if (users[login]) {
          await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
          return;
        }
      }
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page('Fournisseur d’identité de test', `
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label for="login">Identifiant</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Se connecter</button></form>
<form method="post" action="/interaction/${escape(details.uid)}/abort"><button type="submit">Annuler</button></form>`));
      return;
    }
    callback(req, res);
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
