import * as shipshape from '../../lib';

/** Every function the public modules export, by its path (`k8s.renderPeer`); classes are not functions here. */
function freeFunctions(mod: any, prefix: string, seen = new Set<any>()): string[] {
  if (seen.has(mod)) return [];
  seen.add(mod);
  const out: string[] = [];
  for (const key of Object.keys(mod)) {
    const v = mod[key];
    if (typeof v === 'function') {
      if (!/^class\b/.test(Function.prototype.toString.call(v))) out.push(`${prefix}${key}`);
    } else if (v !== null && typeof v === 'object' && /^[a-z]/.test(key)) {
      // a submodule (k8s, k8s.platform, ...); enums are objects too, and hold no functions
      out.push(...freeFunctions(v, `${prefix}${key}.`, seen));
    }
  }
  return out;
}

test('the public modules export no free function (jsii binds classes, interfaces and enums; helpers stay internal)', () => {
  expect(freeFunctions(shipshape, '')).toEqual([]);
});

test('the check can fail: a module with a function is reported', () => {
  expect(freeFunctions({ k8s: { helper: () => 1, Thing: class {} } }, '')).toEqual(['k8s.helper']);
});
