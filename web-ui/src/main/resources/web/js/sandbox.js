// Whether the MCP servers run sandboxed here (GET /api/sandbox): where bubblewrap is missing or
// cannot make namespaces, a notice says so and what to install or enable; with --require-sandbox
// servers do not start at all, without it they run as you.

/** Shows or hides the page's sandbox notice for `sandbox` as the API answers it. */
export function showSandbox(sandbox) {
  const notice = document.getElementById('sandbox-notice');
  if (!sandbox || sandbox.available) {
    notice.hidden = true;
    return;
  }
  const consequence = sandbox.required
    ? 'Servers do not start, since a sandbox is required.'
    : 'Servers run without one, as you, and can read your files.';
  notice.replaceChildren(document.createTextNode(`No sandbox for MCP servers: ${sandbox.problem}. ${consequence}`));
  notice.hidden = false;
}

/** The installed card's line: how its server is confined and whether it has the network. */
export function confinement(install) {
  const network = install.network === false ? 'no network' : 'network on';
  if (install.sandboxed === true) {
    return `Sandboxed · ${network}`;
  }
  if (install.sandboxed === false) {
    return `Not sandboxed · ${network}`;
  }
  return network === 'no network' ? 'No network' : '';
}
