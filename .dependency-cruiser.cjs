// The layering rule of ARCHITECTURE.md ("Layers"), enforced: `npm run lint:deps` fails CI on any
// violation. This file and ARCHITECTURE.md are the rule's only two copies; change both together.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycles anywhere, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-pure',
      comment: 'shared/ imports only itself and a few pure libraries: no DOM, Node, storage or transport.',
      severity: 'error',
      from: { path: '^shared/src/' },
      to: { pathNot: ['^shared/src/', '(^|/)node_modules/(@noble/(hashes|curves)|@scure/base|valibot|canonicalize|libphonenumber-js)/'] },
    },
    {
      name: 'server-and-app-apart',
      comment: 'app -> shared <- signaling-server: neither imports the other.',
      severity: 'error',
      from: { path: '^(app|signaling-server)/src/' },
      to: { path: '^(app|signaling-server)/src/', pathNot: '^$1/src/' },
    },
    {
      name: 'lower-layers-never-import-features-or-shell',
      comment: 'storage, network, workers, identity and context sit under features and the shell.',
      severity: 'error',
      from: { path: '^app/src/(storage|network|workers|identity|context|i18n)/' },
      to: { path: ['^app/src/(features|app)/', '^app/src/main\\.tsx$'] },
    },
    {
      name: 'adapters-never-import-context',
      comment: 'context/ (AppDeps, the route) is built from the adapters, not the other way round.',
      severity: 'error',
      from: { path: '^app/src/(storage|network|workers|identity)/' },
      to: { path: '^app/src/context/' },
    },
    {
      name: 'features-never-import-the-shell',
      comment: 'Features receive what they need through context/ (AppDeps); only the shell and main.tsx wire.',
      severity: 'error',
      from: { path: '^app/src/features/' },
      to: { path: ['^app/src/app/', '^app/src/main\\.tsx$'] },
    },
    {
      name: 'features-stay-apart',
      comment:
        'A feature imports no other feature, with two named exceptions: features/data (the data worker that ' +
        'import and export share, and the jobs it runs), and the W5 alert book partner sessions load lazily.',
      severity: 'error',
      from: { path: '^app/src/features/([^/]+)/', pathNot: '^app/src/features/data/' },
      to: {
        path: '^app/src/features/',
        pathNot: ['^app/src/features/$1/', '^app/src/features/data/', '^app/src/features/witness/partner-alerts\\.ts$'],
      },
    },
    {
      name: 'features-reach-data-only-through-stores',
      comment:
        'Features reach the organisation\'s data only through the stores (storage/stores.ts, the ContactStore ' +
        'seam): never Dexie itself. Encryption at rest sits behind the stores. ' +
        'Unit tests may look into the database, and so may their fakes (fake-*.ts, imported only by tests). The witness database is under storage/ too (witness-db.ts, witness-store.ts).',
      severity: 'error',
      from: { path: '^(app/src/features/|app/src/app/|app/src/context/)', pathNot: ['\\.test\\.ts$', '^app/src/features/[^/]+/fake-[^/]+\\.ts$'] },
      to: { path: '(^|/)node_modules/dexie/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'features-never-see-the-database',
      comment:
        'No feature, screen or AppDeps names the organisation\'s database (storage/db.ts), not even its type: a ' +
        'function that took an IhyidDb would reach a table past the stores and their role rules (X1). The records ' +
        'features read are typed in storage/records.ts. Unit tests and their fakes may open it.',
      severity: 'error',
      from: { path: '^(app/src/features/|app/src/app/|app/src/context/)', pathNot: ['\\.test\\.tsx?$', '^app/src/features/[^/]+/fake-[^/]+\\.ts$'] },
      to: { path: '^app/src/storage/db\\.ts$' },
    },
    {
      name: 'data-worker-runs-only-import-and-export',
      severity: 'error',
      from: { path: '^app/src/features/data/' },
      to: { path: '^app/src/features/', pathNot: '^app/src/features/(data|import|export)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
