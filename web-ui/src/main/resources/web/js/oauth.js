// OAuth on the page: the sign-in of a pending install ("Open sign-in page", "Copy link"),
// Reconnect, and what the install dialog says about the OAuth proxy (docs/api.md, "OAuth").
//
// The page opens only the one-time loopback link (`signInUrl`, /oauth/go/…), never the
// authorization URL: the app window hands what the page opens to xdg-open, whose command line
// every local user can read. A link works once, so "Open sign-in page" starts a fresh sign-in.
// The authorization URL, which carries the flow's single-use state, is kept only in memory, for
// "Copy link"; after a reload a pending install offers "Start sign-in again".

import { h, announce } from './dom.js';
import { api } from './api.js';

const links = new Map();

/**
 * Remembers where install `id` signs in (`started.authorizationUrl`, for Copy link) and opens its
 * one-time link in a new browser tab (the system browser).
 */
export function startSignIn(id, started) {
  links.set(id, started.authorizationUrl);
  // Still within the click that installed: browsers let this open a tab.
  window.open(started.signInUrl, '_blank', 'noopener');
}

/** Forgets the link of an install that connected or went away. */
export function forgetSignIn(id) {
  links.delete(id);
}

/**
 * The sign-in actions of an OAuth install's row, for its status: the link while it waits for
 * the user, Reconnect when its sign-in is dead or failed (and, quieter, when it is connected).
 */
export function signInActions(install, { remote = false, onError, onChanged }) {
  // A remote server (added by URL or from a remote manifest) signs in by MCP authorization: the same link and Reconnect.
  if (install.auth !== 'oauth' && !remote) {
    return [];
  }
  const url = links.get(install.id);
  if (install.status === 'pending_auth' && url) {
    return [
      h('button', {
        type: 'button', class: 'button button--primary', 'data-testid': 'open-sign-in',
        onclick: (event) => reconnect(install, event.currentTarget, { onError, onChanged }),
      }, 'Open sign-in page'),
      h('button', {
        type: 'button', class: 'button button--quiet', 'data-testid': 'copy-sign-in-link',
        onclick: (event) => copy(url, event.currentTarget),
      }, 'Copy link'),
    ];
  }
  if (['pending_auth', 'needs_reauth', 'failed', 'connected', 'running', 'stopped'].includes(install.status)) {
    const label = install.status === 'pending_auth' ? 'Start sign-in again' : 'Reconnect';
    const quiet = ['connected', 'running', 'stopped'].includes(install.status);
    return [h('button', {
      type: 'button', class: `button ${quiet ? 'button--quiet' : 'button--primary'}`, 'data-testid': 'reconnect',
      'aria-label': `${label}: ${install.displayName}`,
      onclick: (event) => reconnect(install, event.currentTarget, { onError, onChanged }),
    }, label)];
  }
  return [];
}

async function reconnect(install, button, { onError, onChanged }) {
  button.disabled = true;
  try {
    const started = await api.reconnect(install.id);
    startSignIn(install.id, started);
    onChanged(started);
    announce(`Sign in to ${install.displayName} in the page that opened.`);
  } catch (error) {
    onError(error.message);
    button.disabled = false;
  }
}

async function copy(url, button) {
  try {
    await navigator.clipboard.writeText(url);
    button.textContent = 'Copied';
  } catch (error) {
    // No clipboard (an insecure context, a denied permission): show the link to copy by hand.
    button.replaceWith(h('input', {
      class: 'signin-link', type: 'text', readonly: true, value: url, 'aria-label': 'Sign-in link',
      'data-testid': 'sign-in-link',
    }));
  }
  announce('Sign-in link copied.');
}

/**
 * What the install dialog says when OAuth is chosen: asks the backend whether the proxy serves
 * `provider`, and answers `{ready, message}`.
 */
export async function oauthReadiness(provider) {
  let status;
  try {
    status = await api.oauthStatus();
  } catch (error) {
    return { ready: false, message: error.message };
  }
  if (!status.reachable) {
    return { ready: false, message: `OAuth is not available: ${status.problem}.` };
  }
  if (status.providers[provider] !== 'ready') {
    return { ready: false, message: `${provider} is not configured on the OAuth proxy at ${status.proxyUrl}.` };
  }
  return { ready: true, message: `You will sign in on ${provider}’s own page in your browser.` };
}
