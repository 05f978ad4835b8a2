/**
 * A small RFC 4180 CSV reader for lookup tables. Pure: no `node:*`.
 *
 * RFC 4180 plus what real lookup files contain: LF as well as CRLF line ends,
 * a UTF-8 byte-order mark, a last record without a line end. Problems are
 * reported with their line and parsing goes on (the failure policy of
 * ingestion: a bad record is reported, never fatal for the rest).
 */

export interface CsvProblem {
  /** `csv.unterminated-quote`, `csv.stray-quote`, `csv.text-after-quote` */
  readonly code: string;
  readonly message: string;
  /** 1-based line where the problem was found. */
  readonly line: number;
}

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line on which the record starts. */
  readonly line: number;
}

export interface CsvOptions {
  /**
   * Trim spaces and tabs around unquoted fields (`a, b` reads as `a`,`b`).
   * Quoted fields keep their content exactly. Default false (strict RFC 4180).
   */
  readonly trim?: boolean;
}

/**
 * Parses CSV text into records. Example: `parseCsv('a,"b ""x"""\n1,2')` →
 * records `[a, b "x"]`, `[1, 2]`. An empty line is a record with one empty field.
 */
export function parseCsv(text: string, opts: CsvOptions = {}): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const trim = opts.trim === true;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let fields: string[] = [];
  let recordLine = 1;
  let atRecordStart = true;
  while (i < n || !atRecordStart) {
    if (atRecordStart) {
      fields = [];
      recordLine = line;
      atRecordStart = false;
    }
    // One field, starting at i.
    let value: string;
    let j = i;
    if (trim) while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j < n && text[j] === '"') {
      const startLine = line;
      let out = '';
      let k = j + 1;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q < 0) {
          out += text.slice(k);
          line += countLines(text, k, n);
          problems.push({ code: 'csv.unterminated-quote', message: 'a quoted field is not closed before the end of the file', line: startLine });
          k = n;
          break;
        }
        out += text.slice(k, q);
        line += countLines(text, k, q);
        if (text[q + 1] === '"') {
          out += '"';
          k = q + 2;
        } else {
          k = q + 1;
          break;
        }
      }
      // After the closing quote: optional blanks, then a separator or line end.
      let m = k;
      while (m < n && (text[m] === ' ' || text[m] === '\t')) m++;
      if (m < n && text[m] !== ',' && text[m] !== '\n' && text[m] !== '\r') {
        problems.push({ code: 'csv.text-after-quote', message: 'text follows the closing quote of a field; it is kept', line });
        const end = nextSeparator(text, m);
        out += text.slice(k, end);
        m = end;
      }
      value = out;
      i = m;
    } else {
      const end = nextSeparator(text, i);
      value = text.slice(i, end);
      if (value.includes('"')) problems.push({ code: 'csv.stray-quote', message: 'a double quote inside an unquoted field; it is kept as text', line });
      if (trim) value = value.replace(/^[ \t]+|[ \t]+$/g, '');
      i = end;
    }
    fields.push(value);
    // Separator or end of record.
    if (i < n && text[i] === ',') {
      i++;
      if (i >= n) {
        fields.push('');
        records.push({ fields, line: recordLine });
        atRecordStart = true;
      }
      continue;
    }
    if (i < n && text[i] === '\r') i++;
    if (i < n && text[i] === '\n') i++;
    line++;
    records.push({ fields, line: recordLine });
    atRecordStart = true;
  }
  return { records, problems };
}

function nextSeparator(text: string, from: number): number {
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 44 /* , */ || c === 10 /* \n */ || c === 13 /* \r */) return k;
  }
  return text.length;
}

function countLines(text: string, from: number, to: number): number {
  let c = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) c++;
  return c;
}

/** Writes one CSV record: fields with `,`, `"`, CR or LF are quoted, quotes doubled. */
export function formatCsvRecord(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) || /^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}
