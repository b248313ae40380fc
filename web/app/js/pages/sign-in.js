// /sign-in#token=…: the link's token (in the fragment, so it never reaches a server
// log) exchanged for the session cookie by POST /session, then on to the overview
// (an officer: to the tasks of their agency).
const status = document.getElementById('status');

function fail(message) {
  status.hidden = true;
  document.getElementById('failure-message').textContent = message;
  document.getElementById('failure').hidden = false;
}

async function signIn() {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  // The token leaves the address bar and the history at once.
  window.history.replaceState(null, '', '/sign-in');
  if (!token) {
    fail('Liên kết đăng nhập không có mã (token).');
    return;
  }
  let response;
  try {
    response = await fetch('/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  } catch (_) {
    fail('Không kết nối được máy chủ; hãy thử lại.');
    return;
  }
  if (response.ok) {
    // Officers land on their agency's tasks: the overview is the leaders' page.
    let role = null;
    try {
      role = (await response.json()).role;
    } catch (_) { /* the overview then */ }
    window.location.replace(role === 'OFFICER' ? '/nhiem-vu' : '/');
    return;
  }
  let code = 'INTERNAL';
  try {
    const body = await response.json();
    code = body.errors[0].extensions.code;
  } catch (_) { /* the code stays INTERNAL */ }
  fail(code === 'UNAUTHENTICATED'
    ? 'Liên kết đăng nhập đã hết hạn hoặc không hợp lệ.'
    : `Không đăng nhập được (${code}).`);
}

signIn();
