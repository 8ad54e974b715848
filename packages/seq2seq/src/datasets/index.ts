export { CharTable, type EncodeBatchOptions } from './char-table.js';
export {
  DATE_FORMATS,
  type CharSpan,
  type DateCorpus,
  type DateCorpusOptions,
  type DateFormat,
  type DatePair,
  type DateSpans,
  formatDate,
  generateDates,
} from './dates.js';
