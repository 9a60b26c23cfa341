// The ways a catalog server can be connected (the `auth` list of GET /api/catalog).

export const AUTH_LABELS = Object.freeze({
  oauth: 'OAuth',
  browser: 'Browser login',
  none: 'No sign-in',
});

export const AUTH_DESCRIPTIONS = Object.freeze({
  oauth: 'Sign in on the service’s own page in your browser; Latchkey keeps the tokens encrypted.',
  browser: 'Sign in inside a Latchkey login window; Latchkey keeps the session encrypted.',
  none: 'Needs no account: it installs straight away.',
});

// Browser-login installs land with their own issue; until then the API answers 501
// not_implemented for them, so the page says so before anyone presses Install.
const READY = new Set(['none', 'oauth']);

export function isAuthReady(auth) {
  return READY.has(auth);
}

export const COMING_SOON_REASON =
  'Connecting by browser login is coming soon. For now choose OAuth, or a server that needs no sign-in.';
