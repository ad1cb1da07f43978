// The page's transport to the server: JSON over fetch, and a server-sent event stream that keeps
// itself connected. EventSource retries network errors by itself, but gives up on an HTTP error,
// and a proxy can leave a dead connection open: this stream reconnects in both cases (1 s,
// doubling to 30 s), the second detected by a watchdog (status events come every few seconds on
// every stream, so 30 s of silence means the connection is dead).

const FIRST_RETRY_MILLIS = 1000;
const MAX_RETRY_MILLIS = 30_000;
const SILENCE_MILLIS = 30_000;

const REQUEST_TIMEOUT_MILLIS = 20_000;

/**
 * The body of a GET as JSON; rejects with the URL and status when the answer is not 2xx, and
 * when none came in 20 s (a hung request would otherwise hold up what waits for it).
 */
export async function getJson(url) {
  const response = await fetch(url, {
    headers: { Accept: 'application/json' },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MILLIS),
  });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return response.json();
}

/** A query string of the parameters that have a value. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
  return q.toString();
}

/**
 * One server-sent event stream. `url` is asked again on every (re)connect, so a stream
 * follows the page's selection; `onOpen` runs on every (re)connect, `handlers` maps
 * event names to functions of the parsed JSON data, `onStateChange` runs whenever
 * `EventStream#open` may have changed.
 */
export class EventStream {
  constructor({ url, onOpen = () => {}, handlers = {}, onStateChange = () => {} }) {
    this.url = url;
    this.onOpen = onOpen;
    this.handlers = handlers;
    this.onStateChange = onStateChange;
    this.source = null;
    this.open = false;
    this.retryMillis = FIRST_RETRY_MILLIS;
    this.lastMessage = 0;
    this.reconnectTimer = null;
  }

  /** Opens the stream, closing the current connection first. */
  connect() {
    this.close();
    clearTimeout(this.reconnectTimer);
    const es = new EventSource(this.url());
    this.source = es;
    this.lastMessage = Date.now();
    es.onopen = () => {
      this.open = true;
      this.retryMillis = FIRST_RETRY_MILLIS;
      this.lastMessage = Date.now();
      this.onStateChange();
      this.onOpen();
    };
    for (const [name, handle] of Object.entries(this.handlers)) {
      es.addEventListener(name, (e) => {
        this.lastMessage = Date.now();
        handle(JSON.parse(e.data));
      });
    }
    es.onerror = () => {
      this.open = false;
      this.onStateChange();
      if (es.readyState === EventSource.CLOSED) this.scheduleReconnect();
    };
  }

  /** To be called every few seconds: reconnects a stream that has been silent too long. */
  watch() {
    if (this.source && Date.now() - this.lastMessage > SILENCE_MILLIS) this.scheduleReconnect();
    this.onStateChange();
  }

  close() {
    this.open = false;
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  scheduleReconnect() {
    this.close();
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), this.retryMillis);
    this.retryMillis = Math.min(MAX_RETRY_MILLIS, this.retryMillis * 2);
  }
}
