// The one way a page talks to the server: GraphQL over /graphql on this origin, as
// any dashboard client would, signed in by the session cookie (HttpOnly: this code
// never sees the token). Queries and mutations go as JSON POSTs; subscriptions over
// the same address as a WebSocket (graphql-transport-ws, through graphql-ws).
import { createClient } from '/assets/vendor/graphql-ws/client.js';

/** A GraphQL error as the server gave it: its message and `extensions.code`. */
export class ApiError extends Error {
  constructor(message, code, extensions = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.extensions = extensions;
  }
}

/** The first error of a GraphQL answer as an ApiError. */
function failure(body, status) {
  const first = body && Array.isArray(body.errors) ? body.errors[0] : null;
  if (first) {
    const extensions = first.extensions || {};
    return new ApiError(first.message, extensions.code || 'INTERNAL', extensions);
  }
  return new ApiError(`the server answered ${status}`, status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL');
}

/** Runs a query (or mutation); resolves to its `data`, rejects with an ApiError. */
export async function request(query, variables = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(`the server cannot be reached: ${error.message}`, 'UNAVAILABLE');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    throw failure(null, response.status);
  }
  if (!response.ok || (body.errors && body.errors.length)) {
    throw failure(body, response.status);
  }
  return body.data;
}

let socket = null;

/** The page's one subscription socket, opened on first use and kept open (graphql-ws
 * reconnects it after a network failure). */
function client() {
  if (socket === null) {
    const url = new URL('/graphql', window.location.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = createClient({
      url: url.toString(),
      lazy: true,
      retryAttempts: 20,
      // 4403: the session ended; nothing to retry until signed in again.
      shouldRetry: (event) => !(event && event.code === 4403),
    });
  }
  return socket;
}

/** Subscribes; `onData(data)` for each message, `onError(ApiError)` when it fails.
 * Returns a function that ends the subscription. */
export function subscribe(query, variables, onData, onError = () => {}) {
  return client().subscribe(
    { query, variables },
    {
      next: (message) => {
        if (message.errors && message.errors.length) {
          onError(failure(message, 200));
        } else {
          onData(message.data);
        }
      },
      error: (error) => {
        const code = error && error.code === 4403 ? 'UNAUTHENTICATED' : 'UNAVAILABLE';
        onError(new ApiError((error && error.reason) || 'the live connection failed', code));
      },
      complete: () => {},
    },
  );
}

/** Ends the session and goes back to the first page. */
export async function signOut() {
  try {
    await fetch('/session/sign-out', { method: 'POST', credentials: 'same-origin' });
  } finally {
    window.location.assign('/');
  }
}
