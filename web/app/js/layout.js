// What every page shares: the header with the app's name, the pages (one entry per
// page module under js/pages/), who is signed in and the sign-out button. A page
// calls `layout(current, viewer)` once it knows its viewer.
import { signOut } from './graphql.js';

/** The pages, in the order the menu lists them. */
export const PAGES = [
  { id: 'overview', href: '/', label: 'Tổng quan' },
  { id: 'tasks', href: '/nhiem-vu', label: 'Nhiệm vụ', officer: 'Nhiệm vụ của đơn vị' },
  { id: 'plans', href: '/ke-hoach', label: 'Kế hoạch' },
  { id: 'agencies', href: '/co-quan', label: 'Cơ quan' },
  { id: 'evaluations', href: '/danh-gia', label: 'Đánh giá' },
  { id: 'indicators', href: '/chi-so', label: 'Chỉ số' },
  { id: 'accountability', href: '/trach-nhiem', label: 'Trách nhiệm người đứng đầu' },
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
    const officer = viewer && viewer.role.code === 'OFFICER';
    link.textContent = officer && page.officer ? page.officer : page.label;
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

/** What a page does when a request fails: back to `/` when the session ended, else
 * the error box. */
export function failed(error) {
  if (error.code === 'UNAUTHENTICATED') {
    window.location.replace('/');
    return;
  }
  showError(error);
}

/** The words of the field names the API gives in `extensions.field`. */
const FIELDS = {
  percent: 'Tỷ lệ hoàn thành',
  note: 'Nội dung báo cáo',
  evidence: 'Minh chứng',
  asOf: 'Ngày báo cáo',
  completedOn: 'Ngày hoàn thành',
  output: 'Sản phẩm',
  newDeadline: 'Hạn mới',
  reason: 'Lý do',
  on: 'Ngày quyết định',
  content: 'Tệp',
  fileName: 'Tên tệp',
  taskId: 'Nhiệm vụ',
  planId: 'Kế hoạch',
  expectedVersion: 'Phiên bản',
};

/** A refusal as the API gave it, with the field it names, in a form's `role=alert`
 * box; the field's input is marked invalid. */
export function showRefusal(box, error, form) {
  const field = error.extensions && error.extensions.field;
  const named = field ? `${FIELDS[field] || field} (${field}): ` : '';
  box.textContent = `Không thực hiện được — ${named}${error.message}`;
  box.dataset.code = error.code;
  if (field) box.dataset.field = field; else delete box.dataset.field;
  box.hidden = false;
  if (form) {
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    const input = field && form.querySelector(`[name="${field}"]`);
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }
}
