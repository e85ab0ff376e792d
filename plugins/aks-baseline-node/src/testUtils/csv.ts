/**
 * Reads CSV as RFC 4180 strictly (CRLF after every record, fields quoted
 * with doubled quotes, no bare quote), so that a test of the audit export
 * fails on what a strict spreadsheet import would refuse.
 *
 * @public
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] !== '"') field += text[i];
        else if (text[i + 1] === '"') field += text[i++];
        else break;
      }
      i++;
    } else {
      while (i < text.length && !/[,\r\n"]/.test(text[i])) field += text[i++];
      if (text[i] === '"') throw new Error(`bare quote at ${i}`);
    }
    record.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(
        `expected , or CRLF at ${i}, got ${JSON.stringify(text[i])}`,
      );
    }
  }
  if (record.length) throw new Error('last record without CRLF');
  return records;
}
