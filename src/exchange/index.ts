/**
 * Exchange log review (flagship.md §4.3): Microsoft's Test-ProxyLogon checks
 * over a folder collected from an Exchange server.
 */
export type { CheckId, CheckStatus, ExchangeCheck, ExchangeFinding, ExchangeReview, LogAge, MalformedLine, UnreadableLog } from './types.js';
export { CHECK_IDS, CHECK_STATUSES } from './types.js';
export { reviewExchangeLogs, EXCHANGE_CODES, type ReviewOptions } from './review.js';
export { ExchangeLogReader, splitCsvLine, rowTime, like, type LogLine, type CsvSplit } from './exchange-log.js';
export {
  CHECK_INFO,
  HTTP_PROXY_FIELDS,
  ListingReader,
  isSsrfAnchor,
  isOabDownloadFailure,
  oabTempFile,
  vdirChange,
  isUmInvalidCast,
  suspiciousFile,
  type ListedFile,
  type ListingLine,
  type SuspiciousKind,
} from './rules.js';
export { renderReviewJson, renderReviewJsonl, renderReviewTable } from './report.js';
