// GraphiQL on this server's own files. Requests go to /graphql on this origin with
// the session cookie (signed in: no token to paste); a token in the Headers tab
// (Authorization: Bearer …) is used instead when given. Subscriptions go over the
// same address as a WebSocket, which carries the cookie too.
(function () {
  'use strict';
  var http = new URL('/graphql', window.location.origin).toString();
  var socket = new URL('/graphql', window.location.origin);
  socket.protocol = socket.protocol === 'https:' ? 'wss:' : 'ws:';
  var fetcher = GraphiQL.createFetcher({
    url: http,
    subscriptionUrl: socket.toString(),
    fetch: function (url, options) {
      return window.fetch(url, Object.assign({}, options, { credentials: 'same-origin' }));
    },
  });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
