import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b,c","say ""hi""\r\nthere",\r\n1,2,3,4\r\n')).toEqual([
      ['a', 'b,c', 'say "hi"\r\nthere', ''],
      ['1', '2', '3', '4'],
    ]);
  });

  it.each([
    ['a,b\n', 'expected , or CRLF at 3, got "\\n"'],
    ['a,b', 'expected , or CRLF at 3, got undefined'],
    ['a,b\r\nc,', 'last record without CRLF'],
    ['a,b"c"\r\n', 'bare quote at 3'],
    ['"a\r\n', 'unterminated quoted field'],
  ])('refuses %j', (text, message) => {
    expect(() => parseCsv(text)).toThrow(message);
  });
});
