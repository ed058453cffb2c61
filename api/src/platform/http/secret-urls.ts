/**
 * URLs that carry a secret: a school's signed link (/school/<page>/<token>) is the key to
 * its pages, and a query parameter named like a credential is one. The log keeps the shape
 * of such a URL (which page, which query) and never the secret itself.
 */
const SCHOOL_LINK = /^(\/school\/[^/?#]*\/)[^?#]*/;
// validationToken: the token Microsoft Graph sends to check a notification address (issue 21), echoed as proof.
const SECRET_PARAMS = /^(token|access_token|id_token|refresh_token|code|secret|key|sig|signature|password|validationToken)$/i;
export const REDACTED = '[Redacted]';

/** The URL (a path with its query, or a full address) with any secret in it replaced by [Redacted]. */
export function redactUrl(url: string): string {
  let origin = '';
  let rest = url;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (absolute) {
    origin = absolute[0];
    rest = url.slice(origin.length) || '/';
  }
  rest = rest.replace(SCHOOL_LINK, `$1${REDACTED}`);
  const q = rest.indexOf('?');
  if (q >= 0) {
    const query = rest
      .slice(q + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = eq >= 0 ? pair.slice(0, eq) : pair;
        let decoded = name;
        try {
          decoded = decodeURIComponent(name);
        } catch {
          // A malformed name is logged as given: it names no credential we know.
        }
        return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=${REDACTED}` : pair;
      })
      .join('&');
    rest = `${rest.slice(0, q)}?${query}`;
  }
  return origin + rest;
}

/** A school link anywhere in a text (an email body in an SQL statement, say): its token is replaced. */
const SCHOOL_LINK_IN_TEXT = /(\/school\/[a-z-]+\/)[A-Za-z0-9._~%-]+/g;

/** The text with every school link's token replaced by [Redacted]: for logging text that may quote one. */
export function redactLinksInText(text: string): string {
  return text.replace(SCHOOL_LINK_IN_TEXT, `$1${REDACTED}`);
}
