/**
 * The API's import boundaries (ARCHITECTURE.md), checked by `npm run lint:imports` (part of `npm test`).
 *
 * Layers, bottom to top: platform (api/src/platform) < domain modules (api/src/<module>) <
 * application (api/src/app, api/src/cli, api/src/main.ts, the one place that composes).
 * Demo data, the soak, tests and scripts sit outside the product: the product never imports them.
 *
 * Domain modules are ranked; a module imports only modules ranked below it. The one exception
 * is an entity naming another module's entity in a relation: the ORM's relations have two
 * sides (a visit's note, a note's visit), each side needs the other's class, and MikroORM 7
 * names a relation's target only by class (`() => Visit`, resolved after every class has
 * loaded). Only entity files may do this, and only to reach other entity files.
 */
const MODULE_RANKS = [
  ['calendar'],
  ['schools'],
  ['partners'],
  ['mail'],
  ['visits'],
  ['notes'],
  ['quality'],
  ['school-side'],
  ['reports', 'register', 'records', 'outlook-sync', 'notifications', 'exports'],
];

const src = '^api/src/';
const moduleRules = MODULE_RANKS.flatMap((modules, rank) => {
  const above = MODULE_RANKS.slice(rank + 1).flat();
  const siblings = modules.length > 1 ? modules : [];
  return modules.flatMap((module) => {
    const higher = [...above, ...siblings.filter((m) => m !== module)];
    if (!higher.length) return [];
    const to = `${src}(${higher.join('|')})/`;
    const from = `${src}${module}/`;
    return [
      {
        name: `${module}-imports-upward`,
        comment: `${module} may import only the platform and the modules ranked below it (.dependency-cruiser.cjs MODULE_RANKS).`,
        severity: 'error',
        from: { path: from, pathNot: '\\.entity\\.ts$' },
        to: { path: to },
      },
      {
        name: `${module}-entity-imports-upward`,
        comment: `an entity of ${module} may name a higher module's entity in a relation, and nothing else of that module.`,
        severity: 'error',
        from: { path: `${from}.+\\.entity\\.ts$` },
        to: { path: to, pathNot: '\\.entity\\.ts$' },
      },
    ];
  });
});

module.exports = {
  forbidden: [
    {
      name: 'platform-imports-domain',
      comment: 'The platform (database, GraphQL plumbing, HTTP, auth, errors, config) knows no domain module and no composition.',
      severity: 'error',
      from: { path: `${src}platform/` },
      to: { path: '^api/', pathNot: `${src}platform/` },
    },
    {
      name: 'domain-imports-application',
      comment: 'Domain modules do not import the application that composes them (api/src/app, cli, main.ts).',
      severity: 'error',
      from: { path: src, pathNot: `${src}(app/|cli/|main\\.ts$)` },
      to: { path: `${src}(app/|cli/|main\\.ts$)` },
    },
    {
      name: 'product-imports-outside',
      comment: 'The product never imports demo data, the soak, tests or scripts.',
      severity: 'error',
      from: { path: src },
      to: { path: '^(api/(demo|soak|test)|scripts|addin)/' },
    },
    {
      name: 'product-imports-dev-dependency',
      comment: 'A development dependency is not installed in production.',
      severity: 'error',
      from: { path: src },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycle at run time (a cycle means the order modules load in decides what works), ' +
        "except between entities, whose relations name each other's classes lazily (() => Visit).",
      severity: 'error',
      from: { path: '^api/', pathNot: '\\.entity\\.ts$' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^api/' },
      // Microsoft's Graph types are a package of declarations only (nothing to resolve at run time).
      to: { couldNotResolve: true, pathNot: '^@microsoft/microsoft-graph-types$' },
    },
    ...moduleRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^api/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // mainFields with 'types': a types-only package (@microsoft/microsoft-graph-types) resolves too.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
