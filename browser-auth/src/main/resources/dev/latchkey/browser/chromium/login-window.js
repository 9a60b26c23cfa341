// Runs in every document of a Chromium login window before the page's own scripts.
// It refuses pop-ups (window.open), opens target=_blank links and forms in place (the navigation
// rule then judges them like any other), and shows the current host and what was refused in a
// bar at the top. Reports go to Java through the CDP binding latchkeyReport: refused pop-ups, and
// each top-level document that has loaded (the window then reads the values at once).
(() => {
  const report = (kind, url) => {
    try { window.latchkeyReport(JSON.stringify({ kind: kind, url: String(url) })); } catch (e) { /* no binding: nothing to tell */ }
  };
  const refuseOpen = function (url) {
    let href;
    try { href = new URL(url, location.href).href; } catch (e) { href = String(url); }
    report('pop-up', href);
    return null;
  };
  try { Object.defineProperty(window, 'open', { value: refuseOpen, writable: false, configurable: false }); } catch (e) { window.open = refuseOpen; }
  const inPlace = (element) => {
    if (element && element.target && !['_self', '_top', '_parent'].includes(element.target.toLowerCase())) {
      element.target = '_self';
    }
  };
  document.addEventListener('click', (event) => {
    inPlace(event.target instanceof Element ? event.target.closest('a[target], area[target]') : null);
  }, true);
  document.addEventListener('submit', (event) => inPlace(event.target), true);
  if (window.top !== window) {
    return;
  }
  // Tells the window a document is ready to be read, so it need not wait for its next poll.
  document.addEventListener('DOMContentLoaded', () => report('loaded', location.href));
  window.addEventListener('load', () => report('loaded', location.href));
  const bar = () => {
    if (document.getElementById('latchkey-login-bar') || !document.body) {
      return document.getElementById('latchkey-login-bar');
    }
    const host = document.createElement('div');
    host.id = 'latchkey-login-bar';
    host.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:2147483647;font:13px sans-serif;'
      + 'background:#1f2937;color:#fff;padding:4px 10px;display:flex;gap:12px;align-items:center;';
    const where = document.createElement('span');
    where.id = 'latchkey-login-host';
    where.textContent = 'Latchkey sign-in · ' + location.host;
    const refused = document.createElement('span');
    refused.id = 'latchkey-login-refused';
    refused.style.color = '#fca5a5';
    host.append(where, refused);
    document.body.prepend(host);
    return host;
  };
  window.__latchkeyRefused = (text) => {
    const element = bar() && document.getElementById('latchkey-login-refused');
    if (element) {
      element.textContent = 'Refused: ' + text;
    }
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', bar);
  } else {
    bar();
  }
})();
