/** Records as n8n item data: JSON values kept, what JSON cannot hold turned into data. */
import { asDataObject } from '../../../n8n/shared/json';

describe('asDataObject', () => {
  it('keeps JSON values as they are, nested ones included', () => {
    const record = { id: 1, name: 'Ada', ok: true, none: null, tags: ['a'], nested: { x: [1] } };

    expect(asDataObject(record)).toEqual(record);
  });

  it('gives a bigint as its digits, and undefined, a function or a symbol as null', () => {
    expect(asDataObject({ big: 12n, missing: undefined, fn: () => 1, sym: Symbol('s') })).toEqual({
      big: '12',
      missing: null,
      fn: null,
      sym: null,
    });
  });
});
