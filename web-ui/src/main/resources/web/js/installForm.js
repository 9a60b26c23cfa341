// The install view: the choice of sign-in where a server offers more than one, the server's
// `user_config` fields, and the submit that posts to /api/installs.

import { h, announce } from './dom.js';
import { ApiError, api } from './api.js';
import { AUTH_LABELS, AUTH_DESCRIPTIONS } from './auth.js';
import { buildField } from './fields.js';
import { label } from './catalog.js';
import { oauthReadiness, startSignIn } from './oauth.js';

/** Builds the install form for `server`; `onInstalled(install)` runs after a 201. */
export function installView(server, { onInstalled, onCancel }) {
  const fields = Object.entries(server.user_config || {}).map(([key, field]) => buildField(key, field));
  const formError = h('div', { class: 'callout callout--error', role: 'alert', 'data-testid': 'form-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'submit' }, 'Install');
  const oauthNote = h('p', { class: 'callout callout--info', 'data-testid': 'oauth-note', 'aria-live': 'polite', hidden: true });
  const provider = server.archestra_config && server.archestra_config.oauth ? server.archestra_config.oauth.provider : null;
  let auth = server.auth[0];
  let oauthReady = false;

  const updateAuth = (chosen) => {
    auth = chosen;
    // OAuth waits for the proxy's answer; the other ways can always be submitted.
    const ready = auth !== 'oauth' || oauthReady;
    submit.disabled = !ready;
    oauthNote.hidden = auth !== 'oauth';
    if (ready) {
      submit.removeAttribute('aria-describedby');
    } else {
      submit.setAttribute('aria-describedby', 'oauth-note');
    }
  };
  oauthNote.id = 'oauth-note';
  if (server.auth.includes('oauth')) {
    oauthNote.textContent = 'Checking the OAuth proxy…';
    oauthReadiness(provider).then(({ ready, message }) => {
      oauthReady = ready;
      oauthNote.textContent = message;
      oauthNote.className = `callout ${ready ? 'callout--info' : 'callout--error'}`;
      updateAuth(auth);
    });
  }

  const noNetwork = h('input', { type: 'checkbox', id: 'no-network', 'data-testid': 'no-network' });
  const form = h('form', { class: 'install-form', 'data-testid': 'install-form', novalidate: true },
    server.description ? h('p', { class: 'muted', text: server.description }) : null,
    authChoice(server, auth, updateAuth),
    fields.length > 0 ? h('div', { class: 'fields' }, fields.map((field) => field.element))
      : h('p', { class: 'muted', text: 'This server needs no settings.' }),
    h('div', { class: 'checkbox' }, noNetwork,
      h('label', { for: 'no-network' }, 'No network: its sandbox gets no network at all (for servers that only work on your files)')),
    formError,
    oauthNote,
    h('div', { class: 'dialog__actions' },
      h('button', { type: 'button', class: 'button button--quiet', 'data-testid': 'cancel', onclick: onCancel }, 'Cancel'),
      submit));
  updateAuth(auth);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hidden = true;
    const userConfig = collect(fields);
    if (userConfig === null) {
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Installing…';
    try {
      const install = await api.install(server.name, auth, userConfig, !noNetwork.checked);
      if (install.signInUrl) {
        startSignIn(install.id, install);
        announce(`${label(server)} installed. Sign in on the page that opened.`);
      } else {
        announce(`${label(server)} installed.`);
      }
      onInstalled(install);
    } catch (error) {
      showApiError(error, fields, formError);
      submit.disabled = auth === 'oauth' && !oauthReady;
      submit.textContent = 'Install';
    }
  });
  return form;
}

// Reads every field; on any invalid one shows the errors, focuses the first and answers null.
function collect(fields) {
  const config = {};
  let firstInvalid = null;
  for (const field of fields) {
    field.clearError();
    const result = field.read();
    if (result.error) {
      field.showError(result.error);
      firstInvalid = firstInvalid || field;
    } else if (!result.omit) {
      config[field.key] = result.value;
    }
  }
  if (firstInvalid) {
    firstInvalid.focus();
    return null;
  }
  return config;
}

function showApiError(error, fields, formError) {
  const message = error instanceof ApiError ? error.message : 'Something went wrong. Try again.';
  const field = error instanceof ApiError && error.field ? fields.find((f) => f.key === error.field) : null;
  if (field) {
    field.showError(message);
    field.focus();
    return;
  }
  formError.textContent = message;
  formError.hidden = false;
}

// Offers the sign-in choice only where there is one; a single way is stated, not asked.
function authChoice(server, initial, onChange) {
  if (server.auth.length === 1) {
    const only = server.auth[0];
    if (only === 'none') {
      return null;
    }
    return h('p', { class: 'auth-only' }, 'Signs in with ', h('strong', { text: AUTH_LABELS[only] || only }),
      '. ', AUTH_DESCRIPTIONS[only] || '');
  }
  return h('fieldset', { class: 'auth-choice', 'data-testid': 'auth-choice' },
    h('legend', { text: 'How should it sign in?' }),
    server.auth.map((auth) => {
      const id = `auth-${auth}`;
      return h('div', { class: 'auth-option' },
        h('input', {
          type: 'radio', name: 'auth', id, value: auth, 'data-testid': id, checked: auth === initial,
          onchange: () => onChange(auth),
        }),
        h('label', { for: id },
          h('span', { class: 'auth-option__title', text: AUTH_LABELS[auth] || auth }),
          h('span', { class: 'auth-option__desc', text: AUTH_DESCRIPTIONS[auth] || '' })));
    }));
}
