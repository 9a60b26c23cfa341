// Wires the Connectors page: catalog, dialog, installed list and live events.

import { api, onUnauthorized } from './api.js';
import { Catalog, label } from './catalog.js';
import { Clients } from './clients.js';
import { Dialog } from './dialog.js';
import { detailsView } from './details.js';
import { installView } from './installForm.js';
import { Installs } from './installs.js';
import { showSandbox } from './sandbox.js';
import { logView } from './runtime.js';
import { remoteView } from './remoteForm.js';
import { connectEvents } from './events.js';

const dialog = new Dialog();
const clients = new Clients({ dialog, onError: showError });
const catalog = new Catalog({ onDetails: openDetails, onInstall: openInstall });
const installs = new Installs({
  catalog,
  onChange: (names) => catalog.markInstalled(names),
  onError: showError,
  onLog: openLog,
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

function openRemote() {
  dialog.show({
    title: 'Add a remote server by URL',
    view: 'remote',
    content: remoteView({
      onInstalled: (install) => {
        installs.upsert(install);
        dialog.close();
      },
      onCancel: () => dialog.close(),
    }),
  });
}

document.getElementById('remote-add').addEventListener('click', openRemote);

function openLog(install) {
  const view = logView(install);
  dialog.element.addEventListener('close', view.close, { once: true });
  dialog.show({ title: `Log of ${install.displayName}`, view: 'log', content: view.element });
}

function showError(message) {
  document.getElementById('error-notice-text').textContent = message;
  document.getElementById('error-notice').hidden = false;
}

document.getElementById('error-notice-close').addEventListener('click', () => {
  document.getElementById('error-notice').hidden = true;
});

const LIVE_STATES = { live: 'Live', reconnecting: 'Reconnecting…', 'signed-out': 'Signed out' };
let signedOut = false;

onUnauthorized(() => {
  signedOut = true;
  document.getElementById('signin-notice').hidden = false;
  setLiveState('signed-out');
});

function setLiveState(state) {
  const element = document.getElementById('live-state');
  element.dataset.state = state;
  element.querySelector('.live-state__text').textContent = LIVE_STATES[state];
}

// A refused stream says nothing about why; a plain request tells, and shows the sign-in notice on
// 401. Only the launch link signs in again (and reloads the page), so a signed-out page stops.
async function streamRefused() {
  try {
    await api.installs();
  } catch (error) {
    return error.status !== 401;
  }
  return !signedOut;
}

async function loadInstalls() {
  try {
    const listed = (await api.installs()).installs;
    installs.show(listed);
    clients.setInstalls(listed);
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

// Where servers cannot be sandboxed, the page says so and what to install or enable.
async function loadSandbox() {
  try {
    showSandbox(await api.sandbox());
  } catch (error) {
    // signed out, or not answering: the other views say so
  }
}

// The catalog first: installed rows name their settings by the catalog's field titles.
loadSandbox();
await loadCatalog();
await loadInstalls();
await clients.load();
connectEvents({
  onHello: loadInstalls,
  onInstall: (install) => installs.upsert(install),
  onRemoved: (id) => installs.remove(id),
  onState: (state) => setLiveState(signedOut ? 'signed-out' : state),
  onRefused: streamRefused,
});
