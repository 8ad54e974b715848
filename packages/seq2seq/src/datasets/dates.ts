import { Generator, ValueError } from '@elman/core';

/** The names of the human-readable date formats {@link formatDate} writes (20 of them). */
export const DATE_FORMATS = [
  'd Month yyyy', // 3 March 2021
  'Mon d, yy', // Mar 3, 21
  'dd/mm/yyyy', // 03/03/2021
  'weekday month d yyyy', // wednesday march 3 2021
  'yyyy.mm.dd', // 2021.03.03
  'dth of Month, yyyy', // 3rd of March, 2021
  'Weekday, d Month yyyy', // Wednesday, 3 March 2021
  'Wkd, Mon d, yyyy', // Wed, Mar 3, 2021
  'Month dth, yyyy', // March 3rd, 2021
  'd Mon yyyy', // 3 Mar 2021
  'd-Mon-yyyy', // 3-Mar-2021
  'dd.mm.yy', // 03.03.21
  'yyyy/m/d', // 2021/3/3
  'MONTH d, yyyy', // MARCH 3, 2021
  'the dth of month yyyy', // the 3rd of march 2021
  'd/m/yy', // 3/3/21
  'yyyymmdd', // 20210303
  'Mon dd yyyy', // Mar 03 2021
  'wkd d mon yy', // wed 3 mar 21
  'dd month, yyyy', // 03 march, 2021
] as const;

/** One of {@link DATE_FORMATS}. */
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Where a date field was written in the source text: `[start, end)` character offsets. */
export type CharSpan = readonly [number, number];

/** Where each field of a date was written in its source text. */
export interface DateSpans {
  /** The year's characters (4 digits, or 2 in the two-digit-year formats). */
  year: CharSpan;
  /** The month's characters (a name, an abbreviation or digits). */
  month: CharSpan;
  /** The day's characters (digits, with an ordinal suffix in the "3rd" formats). */
  day: CharSpan;
}

/** A formatted date and its ISO form. */
export interface DatePair {
  /** The human-readable text, e.g. `"3rd of March, 2021"`. */
  source: string;
  /** The ISO 8601 date `yyyy-mm-dd`, e.g. `"2021-03-03"`. */
  target: string;
  /** The format `source` was written in. */
  format: DateFormat;
  /** Character spans of the year, month and day fields in `source` (for checking attention alignment). */
  spans: DateSpans;
}

/** Options of {@link generateDates}. */
export interface DateCorpusOptions {
  /** Seed of the sampling (default 0): the same seed gives the same corpus. */
  seed?: number;
  /** First year sampled (default 1950). With two-digit years, 50–99 read as 19xx and 00–49 as 20xx. */
  minYear?: number;
  /** Last year sampled (default 2049). */
  maxYear?: number;
  /** Formats to draw from, uniformly (default all of {@link DATE_FORMATS}). */
  formats?: readonly DateFormat[];
}

/** A training and a held-out set whose calendar days are disjoint. */
export interface DateCorpus {
  /** Training pairs. */
  train: DatePair[];
  /** Held-out pairs: none of their days occurs in `train`, in any format. */
  test: DatePair[];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MS_PER_DAY = 86_400_000;

/** `n` padded to `width` digits. */
function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st. */
function ordinal(d: number): string {
  const teen = d % 100 >= 11 && d % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][d % 10] ?? 'th');
  return `${d}${suffix}`;
}

/**
 * Builds a string from parts, recording where the parts tagged `y`, `m` and `d` land: a part is either plain text
 * or `[field, text]`.
 */
function assemble(parts: readonly (string | readonly ['y' | 'm' | 'd', string])[]): Pick<DatePair, 'source' | 'spans'> {
  let source = '';
  const spans: Record<'y' | 'm' | 'd', CharSpan> = { y: [0, 0], m: [0, 0], d: [0, 0] };
  for (const p of parts) {
    if (typeof p === 'string') {
      source += p;
    } else {
      spans[p[0]] = [source.length, source.length + p[1].length];
      source += p[1];
    }
  }
  return { source, spans: { year: spans.y, month: spans.m, day: spans.d } };
}

/**
 * Writes the UTC calendar day `date` in `format` (the weekday is the true one) together with its ISO form.
 * Two-digit years are only unambiguous within a century window: callers keep years in [1950, 2049].
 */
export function formatDate(date: Date, format: DateFormat): DatePair {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  const Month = MONTHS[m - 1]!;
  const Mon = Month.slice(0, 3);
  const Weekday = WEEKDAYS[date.getUTCDay()]!;
  const Wkd = Weekday.slice(0, 3);
  const yyyy = pad(y, 4);
  const yy = pad(y % 100, 2);
  const lower = (s: string) => s.toLowerCase();
  let a: Pick<DatePair, 'source' | 'spans'>;
  switch (format) {
    case 'd Month yyyy': a = assemble([['d', `${d}`], ' ', ['m', Month], ' ', ['y', yyyy]]); break;
    case 'Mon d, yy': a = assemble([['m', Mon], ' ', ['d', `${d}`], ', ', ['y', yy]]); break;
    case 'dd/mm/yyyy': a = assemble([['d', pad(d, 2)], '/', ['m', pad(m, 2)], '/', ['y', yyyy]]); break;
    case 'weekday month d yyyy': a = assemble([lower(Weekday), ' ', ['m', lower(Month)], ' ', ['d', `${d}`], ' ', ['y', yyyy]]); break;
    case 'yyyy.mm.dd': a = assemble([['y', yyyy], '.', ['m', pad(m, 2)], '.', ['d', pad(d, 2)]]); break;
    case 'dth of Month, yyyy': a = assemble([['d', ordinal(d)], ' of ', ['m', Month], ', ', ['y', yyyy]]); break;
    case 'Weekday, d Month yyyy': a = assemble([Weekday, ', ', ['d', `${d}`], ' ', ['m', Month], ' ', ['y', yyyy]]); break;
    case 'Wkd, Mon d, yyyy': a = assemble([Wkd, ', ', ['m', Mon], ' ', ['d', `${d}`], ', ', ['y', yyyy]]); break;
    case 'Month dth, yyyy': a = assemble([['m', Month], ' ', ['d', ordinal(d)], ', ', ['y', yyyy]]); break;
    case 'd Mon yyyy': a = assemble([['d', `${d}`], ' ', ['m', Mon], ' ', ['y', yyyy]]); break;
    case 'd-Mon-yyyy': a = assemble([['d', `${d}`], '-', ['m', Mon], '-', ['y', yyyy]]); break;
    case 'dd.mm.yy': a = assemble([['d', pad(d, 2)], '.', ['m', pad(m, 2)], '.', ['y', yy]]); break;
    case 'yyyy/m/d': a = assemble([['y', yyyy], '/', ['m', `${m}`], '/', ['d', `${d}`]]); break;
    case 'MONTH d, yyyy': a = assemble([['m', Month.toUpperCase()], ' ', ['d', `${d}`], ', ', ['y', yyyy]]); break;
    case 'the dth of month yyyy': a = assemble(['the ', ['d', ordinal(d)], ' of ', ['m', lower(Month)], ' ', ['y', yyyy]]); break;
    case 'd/m/yy': a = assemble([['d', `${d}`], '/', ['m', `${m}`], '/', ['y', yy]]); break;
    case 'yyyymmdd': a = assemble([['y', yyyy], ['m', pad(m, 2)], ['d', pad(d, 2)]]); break;
    case 'Mon dd yyyy': a = assemble([['m', Mon], ' ', ['d', pad(d, 2)], ' ', ['y', yyyy]]); break;
    case 'wkd d mon yy': a = assemble([lower(Wkd), ' ', ['d', `${d}`], ' ', ['m', lower(Mon)], ' ', ['y', yy]]); break;
    case 'dd month, yyyy': a = assemble([['d', pad(d, 2)], ' ', ['m', lower(Month)], ', ', ['y', yyyy]]); break;
    default: throw new ValueError(`formatDate: unknown format '${String(format)}'; expected one of ${DATE_FORMATS.join(' | ')}`);
  }
  return { ...a, target: `${yyyy}-${pad(m, 2)}-${pad(d, 2)}`, format };
}

/**
 * A seeded corpus for date normalisation (human-readable → ISO `yyyy-mm-dd`): `train` and `test` pairs whose calendar
 * days are drawn without replacement from [minYear, maxYear], so the held-out set tests generalisation to unseen
 * dates, not recall. Each pair's format is drawn uniformly from `formats`.
 */
export function generateDates(train: number, test: number, options: DateCorpusOptions = {}): DateCorpus {
  const minYear = options.minYear ?? 1950;
  const maxYear = options.maxYear ?? 2049;
  const formats = options.formats ?? DATE_FORMATS;
  if (!(Number.isInteger(train) && train >= 0 && Number.isInteger(test) && test >= 0)) {
    throw new ValueError(`generateDates: train and test must be non-negative integers, got ${train} and ${test}`);
  }
  if (!(Number.isInteger(minYear) && Number.isInteger(maxYear) && minYear >= 1950 && maxYear <= 2049 && minYear <= maxYear)) {
    throw new ValueError(`generateDates: need integer years with 1950 ≤ minYear ≤ maxYear ≤ 2049 (two-digit years must be unambiguous), got ${minYear}..${maxYear}`);
  }
  if (formats.length === 0) throw new ValueError('generateDates: formats is empty');
  for (const f of formats) {
    if (!(DATE_FORMATS as readonly string[]).includes(f)) throw new ValueError(`generateDates: unknown format '${f}'`);
  }
  const first = Date.UTC(minYear, 0, 1) / MS_PER_DAY;
  const days = Date.UTC(maxYear + 1, 0, 1) / MS_PER_DAY - first;
  if (train + test > days) throw new ValueError(`generateDates: ${train} + ${test} pairs need distinct days, but [${minYear}, ${maxYear}] has only ${days}`);
  const gen = new Generator(options.seed ?? 0);
  const used = new Set<number>();
  const draw = (n: number): DatePair[] => {
    const out: DatePair[] = [];
    while (out.length < n) {
      const day = gen.randint(days);
      if (used.has(day)) continue;
      used.add(day);
      out.push(formatDate(new Date((first + day) * MS_PER_DAY), formats[gen.randint(formats.length)]!));
    }
    return out;
  };
  return { train: draw(train), test: draw(test) };
}
