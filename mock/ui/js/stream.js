// The journal stream: GET requests/stream, server-sent events read with
// fetch rather than EventSource, which cannot send the admin token in a
// header. The server ends a stream after a minute; it is resumed after its
// last event with Last-Event-ID, so no entry is lost or shown twice.

import {ApiError, AuthError, answer, base, headers} from './api.js';

// Stream follows the journal, filtered by query (URLSearchParams of GET
// requests' filters), until stop. on.requests(entries, unseen, fresh) gets
// each batch, oldest first: fresh is true for the backlog a new stream
// starts with. on.clear() says the journal was emptied, on.state(s) how the
// stream is ('live', 'reconnecting', 'stopped'), on.error(message) a filter
// the server refused.
export class Stream {
  constructor(query, on) {
    this.query = query;
    this.on = on;
    this.abort = new AbortController();
  }

  start() {
    this.run(this.abort.signal);
    return this;
  }

  stop() { this.abort.abort(); }

  async run(signal) {
    let lastID = '';
    let wait = 250;
    while (!signal.aborted) {
      try {
        const h = headers(lastID ? {'Last-Event-ID': lastID} : {});
        const url = new URL(`requests/stream?${this.query}`, base);
        const resp = await fetch(url, {headers: h, cache: 'no-store', signal});
        if (!resp.ok) await answer(resp, 'GET requests/stream');
        this.on.state('live');
        wait = 250;
        for await (const ev of events(resp.body)) {
          if (signal.aborted) return;
          if (ev.event === 'clear') this.on.clear();
          if (ev.event !== 'requests') continue;
          const data = JSON.parse(ev.data);
          this.on.requests(data.requests, data.unseen, lastID === '');
          lastID = ev.id;
        }
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof AuthError || err instanceof ApiError) {
          if (err instanceof ApiError) this.on.error(err.message);
          this.on.state('stopped');
          return;
        }
        this.on.state('reconnecting');
        wait = Math.min(wait * 2, 4000);
      }
      await sleep(wait, signal);
    }
  }
}

// sleep waits ms, or less if signal aborts.
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, {once: true});
  });
}

// events yields the server-sent events of body: {event, id, data}.
async function* events(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buf += value.replace(/\r\n?/g, '\n');
      for (let end = buf.indexOf('\n\n'); end >= 0; end = buf.indexOf('\n\n')) {
        const ev = parseEvent(buf.slice(0, end));
        buf = buf.slice(end + 2);
        if (ev) yield ev;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

// parseEvent reads one event's lines; a comment alone is no event.
function parseEvent(block) {
  const ev = {event: 'message', id: '', data: []};
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') ev.event = value;
    else if (field === 'id') ev.id = value;
    else if (field === 'data') ev.data.push(value);
  }
  if (ev.data.length === 0) return null;
  return {...ev, data: ev.data.join('\n')};
}
