// What every page shares: the header with the app's name, the pages (one entry per
// page module under js/pages/), who is signed in and the sign-out button. A page
// calls `layout(current, viewer)` once it knows its viewer.
import { signOut } from './graphql.js';

/** The pages, in the order the menu lists them. */
export const PAGES = [
  { id: 'overview', href: '/', label: 'Tổng quan' },
];

/** Renders the shared header into `#site-header`. */
export function layout(current, viewer) {
  const header = document.getElementById('site-header');
  header.replaceChildren();

  const brand = document.createElement('p');
  brand.className = 'brand';
  brand.textContent = 'Theo dõi cải cách hành chính';

  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Các trang');
  const list = document.createElement('ul');
  for (const page of PAGES) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = page.href;
    link.textContent = page.label;
    if (page.id === current) link.setAttribute('aria-current', 'page');
    item.append(link);
    list.append(item);
  }
  nav.append(list);

  const who = document.createElement('div');
  who.className = 'viewer';
  if (viewer) {
    const name = document.createElement('span');
    name.id = 'viewer-name';
    name.textContent = `${viewer.name} · ${viewer.role.labelVi}`;
    const out = document.createElement('button');
    out.type = 'button';
    out.id = 'sign-out';
    out.textContent = 'Đăng xuất';
    out.addEventListener('click', () => signOut());
    who.append(name, out);
  }
  header.append(brand, nav, who);
}

/** Shows an error on the page in words a user can act on. */
export function showError(error) {
  const box = document.getElementById('error');
  if (!box) return;
  const words = {
    UNAUTHENTICATED: 'Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại bằng liên kết mới.',
    FORBIDDEN: 'Bạn không có quyền xem nội dung này.',
    UNAVAILABLE: 'Máy chủ đang bận hoặc không kết nối được; hãy thử lại sau ít phút.',
    RATE_LIMITED: 'Quá nhiều yêu cầu trong thời gian ngắn; hãy thử lại sau ít phút.',
  };
  box.textContent = words[error.code] || `Không tải được số liệu (${error.code}): ${error.message}`;
  box.hidden = false;
}
