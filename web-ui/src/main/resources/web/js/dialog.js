// The one modal dialog of the page (details and install views). `showModal` makes the rest of
// the page inert; on top of that Tab and Shift+Tab wrap inside the dialog, Esc closes it, and
// focus goes back to the button that opened it.

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), '
  + 'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The page's modal dialog. */
export class Dialog {
  constructor() {
    this.element = document.getElementById('dialog');
    this.title = document.getElementById('dialog-title');
    this.body = document.getElementById('dialog-body');
    this.opener = null;
    document.getElementById('dialog-close').addEventListener('click', () => this.close());
    this.element.addEventListener('keydown', (event) => this.trapTab(event));
    this.element.addEventListener('close', () => this.restoreFocus());
    // A click on the backdrop lands on the <dialog> itself, outside its padding box content.
    this.element.addEventListener('mousedown', (event) => {
      if (event.target === this.element) {
        this.close();
      }
    });
  }

  /**
   * Shows `content` under `title`, opening the dialog if it is closed, and focuses `focus`
   * (or the first focusable element of the content).
   */
  show({ title, content, view, focus }) {
    if (!this.element.open) {
      this.opener = document.activeElement;
    }
    this.title.textContent = title;
    this.element.dataset.view = view;
    this.body.replaceChildren(content);
    if (!this.element.open) {
      this.element.showModal();
    }
    const target = focus || this.body.querySelector(FOCUSABLE);
    if (target) {
      target.focus();
    }
  }

  close() {
    if (this.element.open) {
      this.element.close();
    }
    // At once: the close event, which also empties it, comes a task later, and what the dialog
    // showed (a client's token, shown once) must not stay in the page meanwhile.
    this.body.replaceChildren();
  }

  restoreFocus() {
    this.body.replaceChildren();
    if (this.opener && this.opener.isConnected) {
      this.opener.focus();
    }
    this.opener = null;
  }

  trapTab(event) {
    if (event.key !== 'Tab') {
      return;
    }
    const focusable = [...this.element.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
    if (focusable.length === 0) {
      return;
    }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      last.focus();
      event.preventDefault();
    } else if (!event.shiftKey && document.activeElement === last) {
      first.focus();
      event.preventDefault();
    }
  }
}
