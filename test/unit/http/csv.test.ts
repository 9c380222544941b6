import { describe, expect, it } from 'vitest';
import { csv } from '../../../lib/http/csv.js';

describe('csv answers', () => {
  it('writes a header row and one CRLF line per row, quoting fields with commas, quotes or line breaks', () => {
    const rows = [
      { groupId: 'G-1', name: 'Plain', sum: '10.00' },
      { groupId: 'G-2', name: 'Acme, "Best" Ltd', sum: '20.00' },
      { groupId: 'G-3', name: 'Two\nlines', sum: '30.00' },
    ];
    const answer = csv(['groupId', 'name', 'sum'], rows, 'groups.csv');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toEqual({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="groups.csv"' });
    expect(answer.body).toBe('groupId,name,sum\r\nG-1,Plain,10.00\r\nG-2,"Acme, ""Best"" Ltd",20.00\r\nG-3,"Two\nlines",30.00\r\n');
  });

  it('answers just the header for no rows, and an empty field for null', () => {
    expect(csv(['a', 'b'], [], 'x.csv').body).toBe('a,b\r\n');
    expect(csv(['a', 'b'], [{ a: null, b: 1 }], 'x.csv').body).toBe('a,b\r\n,1\r\n');
  });
});
