// The fake's clock in the header: its time, buttons that move it on, and
// reset. The time is read from GET clock every second, as the fake's
// clock may stand still (a test's fixed clock) or jump (an advance).

import {api} from './api.js';
import {$, fullTime} from './dom.js';

export class Clock {
  // onChange(now) is called after the page moved the clock or reset the fake.
  constructor({onChange, onError}) {
    this.onChange = onChange;
    this.onError = onError;
    this.now = null; // the fake's time, as a Date, at the last look
    for (const b of document.querySelectorAll('[data-advance]')) {
      b.addEventListener('click', () => this.advance(b.dataset.advance));
    }
    $('#advance-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const d = $('#advance-custom').value.trim();
      if (d !== '') this.advance(d);
    });
    $('#reset').addEventListener('click', () => this.reset());
  }

  async read() {
    this.show((await api('GET', 'clock')).now);
  }

  show(iso) {
    this.now = new Date(iso);
    const t = $('#clock-now');
    t.dateTime = iso;
    t.textContent = fullTime(iso);
    const drift = Math.round((this.now.getTime() - Date.now()) / 60000);
    $('#clock-moved').textContent = Math.abs(drift) >= 1 ? `(${drift > 0 ? '+' : ''}${drift} min from this computer's)` : '';
  }

  async advance(d) {
    try {
      const {now} = await api('POST', 'clock', {advance: d});
      this.show(now);
      $('#advance-custom').value = '';
      this.onChange(now);
    } catch (err) {
      this.onError(err);
    }
  }

  // reset asks once more before it resets: it empties the journal and
  // forgets every token.
  async reset() {
    const b = $('#reset');
    if (!b.classList.contains('confirm')) {
      b.classList.add('confirm');
      b.textContent = 'Really reset?';
      setTimeout(() => { b.classList.remove('confirm'); b.textContent = 'Reset'; }, 4000);
      return;
    }
    b.classList.remove('confirm');
    b.textContent = 'Reset';
    try {
      const {now} = await api('POST', 'reset');
      this.show(now);
      this.onChange(now);
    } catch (err) {
      this.onError(err);
    }
  }
}
