// Internal: keeps V8's shared object shapes intact in large construct trees. Not re-exported by the barrel.
//
// Every construct keeps its children in `node._children`, created as `{}` (constructs 10). V8 gives the first
// property added to a `{}` a transition from the one map all `{}` objects start with, and that map holds at most
// about 1,500 transitions. An app with one chart per service whose charts' first children have distinct ids
// (`new WebService(chart, name)`) adds one transition per chart; past the limit, every object later built from
// `{}` whose first key is new gets a map of its own instead of a shared one. cdk8s renders every manifest from
// `{}` objects, so property access (rendering, policy, YAML) and garbage collection then slow down for the rest
// of the process: measured 3 to 4 times slower rendering at 3,000 charts.
//
// The fix: in a tree rooted at a shipshape `App`, each construct's children table is a `ChildTable` object
// instead of `{}`: the same plain key/value object for everything that reads it (`Object.values`, `in`,
// `delete`, lookups through `Object.prototype`), whose first key is a transition from `ChildTable`'s own initial
// map, which nothing else uses. The table is swapped when a construct gets its first child, by a wrapper around
// constructs' `Node.prototype.addChild` installed once per process by the first `App`; the wrapper does nothing
// in trees whose root is not a shipshape App (a stock cdk8s App, a cdktf App).

/** Marks a children table (and the prototype patch) across copies of this module. */
const TABLE_BRAND = Symbol.for('shipshape.k8s.childTable');
const PATCHED = Symbol.for('shipshape.k8s.childTablesInstalled');

/** A construct's children table: a plain key/value object that does not share `{}`'s initial map. */
class ChildTable {}
Object.defineProperty(ChildTable.prototype, TABLE_BRAND, { value: true });

/** The constructs `Node` fields this module reads (private in constructs' typings). */
interface NodeInternals {
  _children: { [id: string]: unknown };
  readonly scope?: { readonly node: unknown };
  addChild(child: unknown, childName: string): void;
}

function isTable(table: unknown): boolean {
  return typeof table === 'object' && table !== null && (table as any)[TABLE_BRAND] === true;
}

/** The same entries (own enumerable keys, in their order) in a `ChildTable`. */
function toTable(table: { [id: string]: unknown }): { [id: string]: unknown } {
  const out: { [id: string]: unknown } = new ChildTable() as any;
  for (const k of Object.keys(table)) out[k] = table[k];
  return out;
}

/**
 * Gives the children table of `root` (a shipshape App's node) and, as they get children, of every construct under
 * it a `ChildTable`. Does nothing when constructs' internals are not what this module expects.
 */
export function useChildTables(root: unknown): void {
  const node = root as NodeInternals;
  const proto = Object.getPrototypeOf(node);
  if (!proto || typeof proto.addChild !== 'function' || typeof node._children !== 'object' || node._children === null) return;
  if (!Object.prototype.hasOwnProperty.call(proto, PATCHED)) {
    const addChild: (this: NodeInternals, child: unknown, childName: string) => void = proto.addChild;
    Object.defineProperty(proto, PATCHED, { value: true });
    proto.addChild = function (this: NodeInternals, child: unknown, childName: string): void {
      const table = this._children;
      if (!isTable(table)) {
        const scopeNode = this.scope?.node as NodeInternals | undefined;
        if (scopeNode !== undefined && isTable(scopeNode._children)) this._children = toTable(table);
      }
      return addChild.call(this, child, childName);
    };
  }
  if (!isTable(node._children)) node._children = toTable(node._children);
}
