import { CpuQuantity, Errors, MemoryQuantity } from '../../lib/core';

describe('CpuQuantity', () => {
  test.each([['250m', 250, '250m'], ['0.5', 500, '500m'], ['2', 2000, '2'], ['1000m', 1000, '1'], ['.1', 100, '100m']])('parses %s', (text, millis, canonical) => {
    const q = CpuQuantity.parse(text);
    expect(q.millicores).toBe(millis);
    expect(q.toString()).toBe(canonical);
  });
  test('compares', () => {
    expect(CpuQuantity.parse('500m').compare(CpuQuantity.parse('0.25'))).toBe(1);
    expect(CpuQuantity.parse('1').compare(CpuQuantity.millis(1000))).toBe(0);
    expect(CpuQuantity.cores(0.1).compare(CpuQuantity.parse('200m'))).toBe(-1);
  });
  test.each(['-1', '12XB', '', 'abc', '1.5m'])('refuses %j with a message naming prop and value', (text) => {
    let err: any;
    try { CpuQuantity.parse(text, undefined, 'resources.cpu'); } catch (e) { err = e; }
    expect(Errors.isValidationError(err)).toBe(true);
    expect(err.message).toMatch(new RegExp(`^<input>: resources.cpu \\(${JSON.stringify(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  });
  test('negative millis refused', () => {
    expect(() => CpuQuantity.millis(-5)).toThrow('<input>: millicores (-5) must be a whole, non-negative number of millicores; use for example 250');
  });
});

describe('MemoryQuantity', () => {
  test.each([['512Mi', 512 * 2 ** 20, '512Mi'], ['1Gi', 2 ** 30, '1Gi'], ['1024Mi', 2 ** 30, '1Gi'], ['1G', 1e9, '1G'], ['1e3', 1000, '1e3'], ['0', 0, '0'], ['1.5Gi', 1.5 * 2 ** 30, '1536Mi']])('parses %s', (text, bytes, canonical) => {
    const q = MemoryQuantity.parse(text);
    expect(q.bytes).toBe(bytes);
    expect(q.toString()).toBe(canonical);
  });
  test('compares', () => {
    expect(MemoryQuantity.parse('1Gi').compare(MemoryQuantity.parse('1G'))).toBe(1);
    expect(MemoryQuantity.mebibytes(1024).compare(MemoryQuantity.gibibytes(1))).toBe(0);
  });
  test.each(['-1', '12XB', '1.5', 'Mi', '1 Gi'])('refuses %j', (text) => {
    expect(() => MemoryQuantity.parse(text, undefined, 'memory')).toThrow(/is not (a byte quantity|a whole number of bytes)/);
  });
});
