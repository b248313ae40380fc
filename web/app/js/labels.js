// Vietnamese words for the API's enum values that the API gives no label object for
// (a `TaskStatus` is a bare enum; a filter names a `CategoryCode`). The labels are
// those of the SDL's descriptions and of Resolution 76/NQ-CP.

/** `TaskStatus` → its label. */
export const STATUS = {
  NOT_STARTED: 'Chưa thực hiện',
  IN_PROGRESS: 'Đang thực hiện',
  COMPLETED: 'Đã hoàn thành',
  CANCELLED: 'Đã hủy',
};

/** `CategoryCode` → its label: the six pillars, then cross-cutting work. */
export const CATEGORY = {
  INSTITUTIONAL: 'Cải cách thể chế',
  ADMINISTRATIVE_PROCEDURES: 'Cải cách thủ tục hành chính',
  ORGANIZATIONAL_APPARATUS: 'Cải cách tổ chức bộ máy hành chính nhà nước',
  CIVIL_SERVICE: 'Cải cách chế độ công vụ',
  PUBLIC_FINANCE: 'Cải cách tài chính công',
  DIGITAL_GOVERNMENT: 'Xây dựng và phát triển Chính phủ điện tử, Chính phủ số',
  DIRECTION: 'Công tác chỉ đạo, điều hành',
  COMMUNICATION: 'Công tác tuyên truyền',
  INSPECTION: 'Công tác kiểm tra',
};

/** A task's status as a list shows it: overdue said first. */
export function statusText(task) {
  const label = STATUS[task.status] || task.status;
  return task.overdue ? `Quá hạn (${label.toLowerCase()})` : label;
}

/** `Rag` → the judgement in words (never shown by colour alone). */
export const RAG = {
  GREEN: 'Đạt tiến độ',
  AMBER: 'Chậm so với lộ trình',
  RED: 'Chậm nhiều so với lộ trình',
};

/** What the page says when the API gives no judgement (`rag` null). */
export const NO_RAG = 'Chưa đánh giá được (thiếu số liệu gốc, chỉ tiêu hoặc số đo)';

/** `DossierPeriodKind` → its label, in the order a choice lists them. */
export const PERIOD = {
  MONTH: 'Theo tháng',
  QUARTER: 'Theo quý',
  HALF_YEAR: 'Theo 6 tháng',
  YEAR: 'Theo năm',
};
