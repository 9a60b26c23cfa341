// Wires the Connectors page: catalog, dialog, installed list and live events.

import { api, onUnauthorized } from './api.js';
import { Catalog, label } from './catalog.js';
import { Dialog } from './dialog.js';
import { detailsView } from './details.js';
import { installView } from './installForm.js';
import { Installs } from './installs.js';
import { connectEvents } from './events.js';

const dialog = new Dialog();
const catalog = new Catalog({ onDetails: openDetails, onInstall: openInstall });
const installs = new Installs({
  catalog,
  onChange: (names) => catalog.markInstalled(names),
  onError: showError,
});

function openDetails(server) {
  dialog.show({
    title: label(server),
    view: 'details',
    content: detailsView(server, { onInstall: openInstall, onClose: () => dialog.close() }),
  });
}

function openInstall(server) {
  dialog.show({
    title: `Install ${label(server)}`,
    view: 'install',
    content: installView(server, {
      onInstalled: (install) => {
        installs.upsert(install);
        dialog.close();
      },
      onCancel: () => dialog.close(),
    }),
  });
}

function showError(message) {
  document.getElementById('error-notice-text').textContent = message;
  document.getElementById('error-notice').hidden = false;
}

document.getElementById('error-notice-close').addEventListener('click', () => {
  document.getElementById('error-notice').hidden = true;
});

onUnauthorized(() => {
  document.getElementById('signin-notice').hidden = false;
});

function setLiveState(state) {
  const element = document.getElementById('live-state');
  element.dataset.state = state;
  element.querySelector('.live-state__text').textContent = state === 'live' ? 'Live' : 'Reconnecting…';
}

async function loadInstalls() {
  try {
    installs.show((await api.installs()).installs);
  } catch (error) {
    if (error.status !== 401) {
      showError(error.message);
    }
  }
}

async function loadCatalog() {
  try {
    catalog.show(await api.catalog());
  } catch (error) {
    document.getElementById('catalog-loading').textContent = error.status === 401
      ? 'Sign in to see the catalog.' : `The catalog could not be loaded: ${error.message}`;
  }
}

// The catalog first: installed rows name their settings by the catalog's field titles.
await loadCatalog();
await loadInstalls();
connectEvents({
  onHello: loadInstalls,
  onInstall: (install) => installs.upsert(install),
  onRemoved: (id) => installs.remove(id),
  onState: setLiveState,
  // A refused stream says nothing about why; a plain request shows the sign-in notice on 401.
  onGiveUp: () => api.installs().catch(() => {}),
});
