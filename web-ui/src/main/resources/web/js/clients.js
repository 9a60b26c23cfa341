// The MCP clients section: "Connect a client" for the programs Latchkey knows (the exact entry and
// file shown before anything is written), clients added by hand (their token shown once), and for
// each client its last call, its call count, the installs it may use, and revoking it.

import { api } from './api.js';
import { h } from './dom.js';

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : 'never';
}

/** The clients section of the page. */
export class Clients {
  constructor({ dialog, onError }) {
    this.dialog = dialog;
    this.onError = onError;
    this.installs = [];
    this.apps = document.getElementById('client-apps');
    this.list = document.getElementById('clients');
    this.empty = document.getElementById('clients-empty');
    document.getElementById('client-add').addEventListener('click', () => this.openAdd());
  }

  /** The installs a client can be limited to (as GET /api/installs answers them). */
  setInstalls(installs) {
    this.installs = installs;
  }

  async load() {
    try {
      const [{ apps }, { clients }] = await Promise.all([api.clientApps(), api.clients()]);
      this.showApps(apps);
      this.showClients(clients);
    } catch (error) {
      if (error.status !== 401) {
        this.onError(error.message);
      }
    }
  }

  showApps(apps) {
    this.apps.replaceChildren(...apps.map((app) => h('li', { class: 'client-app', 'data-testid': `client-app-${app.client}` },
      h('span', { class: 'client-app__name', text: app.displayName }),
      app.connected
        ? h('button', { type: 'button', class: 'button button--quiet button--small', 'data-testid': `client-app-undo-${app.client}`,
          text: 'Undo', onclick: () => this.undo(app) })
        : h('button', { type: 'button', class: 'button button--primary button--small', 'data-testid': `client-app-connect-${app.client}`,
          text: 'Connect…', onclick: () => this.openConnect(app) }))));
  }

  showClients(clients) {
    this.empty.hidden = clients.length > 0;
    this.list.replaceChildren(...clients.map((client) => this.row(client)));
  }

  row(client) {
    const limit = client.allInstalls ? 'every install' : `${client.installIds.length} install(s)`;
    return h('li', { class: 'install', 'data-testid': 'client', 'data-client-id': client.id },
      h('div', { class: 'install__main' },
        h('strong', { text: client.name }),
        h('span', { class: 'install__meta', 'data-testid': 'client-state',
          text: client.revokedAt ? `revoked ${when(client.revokedAt)}` : `may use ${limit}` }),
        h('span', { class: 'install__meta', 'data-testid': 'client-calls',
          text: `${client.callCount} call(s), last ${when(client.lastCallAt)}` })),
      client.revokedAt ? null : h('div', { class: 'install__actions' },
        h('button', { type: 'button', class: 'button button--quiet button--small', text: 'Installs…',
          'data-testid': 'client-limit', onclick: () => this.openLimit(client) }),
        h('button', { type: 'button', class: 'button button--quiet button--small', text: 'Revoke',
          'data-testid': 'client-revoke', onclick: () => this.revoke(client) })));
  }

  openConnect(app) {
    const write = h('button', { type: 'button', class: 'button button--primary', 'data-testid': 'client-connect-confirm',
      text: app.fileExists ? 'Add it to the file' : 'Create the file' });
    write.addEventListener('click', async () => {
      write.disabled = true;
      try {
        await api.connectApp(app.client);
        this.dialog.close();
        await this.load();
      } catch (error) {
        write.disabled = false;
        this.onError(error.message);
      }
    });
    this.dialog.show({
      title: `Connect ${app.displayName}`,
      view: 'connect-client',
      content: h('div', {},
        h('p', { text: `Latchkey will ${app.fileExists ? 'add this entry to' : 'create'} the file below, as ${app.key}, `
          + 'keeping everything else in it; the file as it was is kept beside it (.latchkey.bak).' }),
        h('p', {}, h('code', { 'data-testid': 'client-connect-path', text: app.path })),
        h('pre', { class: 'client-entry', 'data-testid': 'client-connect-entry', text: app.entry }),
        h('p', { class: 'install__meta', text: `Restart ${app.displayName} afterwards. Undo takes the entry out again.` }),
        h('div', { class: 'dialog__actions' },
          h('button', { type: 'button', class: 'button button--quiet', text: 'Cancel', onclick: () => this.dialog.close() }),
          write)),
    });
  }

  async undo(app) {
    try {
      await api.undoApp(app.client);
      await this.load();
    } catch (error) {
      this.onError(error.message);
    }
  }

  openAdd() {
    const name = h('input', { type: 'text', id: 'client-name', 'data-testid': 'client-name', required: true, maxlength: 200 });
    const result = h('div', { 'data-testid': 'client-token-result' });
    const add = h('button', { type: 'button', class: 'button button--primary', 'data-testid': 'client-add-confirm', text: 'Add' });
    add.addEventListener('click', async () => {
      try {
        const { token } = await api.addClient(name.value);
        add.disabled = true;
        result.replaceChildren(
          h('p', { text: 'Its token, shown this once (Latchkey keeps only a hash of it). The client sends it as Authorization: Bearer <token> to:' }),
          h('p', {}, h('code', { text: `${window.location.origin}/mcp` })),
          h('pre', { class: 'client-entry', 'data-testid': 'client-token', text: token }));
        await this.load();
      } catch (error) {
        this.onError(error.message);
      }
    });
    this.dialog.show({
      title: 'Add an MCP client',
      view: 'add-client',
      content: h('div', {},
        h('label', { for: 'client-name', text: 'Name' }), name,
        h('div', { class: 'dialog__actions' }, add), result),
    });
  }

  openLimit(client) {
    const all = h('input', { type: 'checkbox', id: 'client-all', checked: client.allInstalls });
    const boxes = this.installs.map((install) => h('input', { type: 'checkbox', value: install.id,
      checked: client.installIds.includes(install.id), 'aria-label': install.displayName }));
    const save = h('button', { type: 'button', class: 'button button--primary', text: 'Save', 'data-testid': 'client-limit-save' });
    save.addEventListener('click', async () => {
      try {
        await api.limitClient(client.id, all.checked ? null : boxes.filter((box) => box.checked).map((box) => box.value));
        this.dialog.close();
        await this.load();
      } catch (error) {
        this.onError(error.message);
      }
    });
    this.dialog.show({
      title: `Installs ${client.name} may use`,
      view: 'limit-client',
      content: h('div', {},
        h('label', {}, all, ' Every install, now and later'),
        h('ul', {}, boxes.map((box, index) => h('li', {}, h('label', {}, box, ` ${this.installs[index].displayName}`)))),
        h('div', { class: 'dialog__actions' }, save)),
    });
  }

  async revoke(client) {
    try {
      await api.revokeClient(client.id);
      await this.load();
    } catch (error) {
      this.onError(error.message);
    }
  }
}
