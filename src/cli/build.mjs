// Builds what `npm start` runs: src/main.ts and the PDF worker, each as one plain JavaScript module
// in dist/, so that the app runs on plain node, without the TypeScript loader in every thread
// (an empty script holds 73–79 MiB under tsx, 41 MiB without; the PDF worker loaded it again). Packages stay
// in node_modules (they are imported, not bundled). Each source file keeps its own
// `import.meta.url`: the templates, the locales, db/ and the fonts are found from where the source
// is, as under tsx. Tests, benchmarks and the CLIs run the sources under tsx as before.
// Plain JavaScript, so that it runs before anything is built: node src/cli/build.mjs
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = `${root}dist/`;

/** Each source file's `import.meta.url` as the URL of that source file, not of the bundle. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/**
 * Bundles `entryPoints` (name → source) into `outdir` as plain ES modules, packages imported from
 * node_modules (so `outdir` must be inside the checkout).
 */
export async function bundle(entryPoints, outdir) {
  await build({
    absWorkingDir: root,
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    keepNames: true,
    // Not minified, names kept: a stack trace in the log reads as it is. The maps are for a debugging
    // session (node --enable-source-maps), not loaded in production.
    sourcemap: 'linked',
    logLevel: 'warning',
    // src/pdf/renderer.ts starts the built worker beside the bundle instead of the tsx entry.
    define: { BUILT_WORKERS: JSON.stringify(pathToFileURL(outdir.endsWith('/') ? outdir : `${outdir}/`).href) },
    plugins: [ownUrl],
  });
}

/** What `npm start` runs, into dist/ (the tests build elsewhere). */
export const buildApp = (outdir = DIST) => bundle({ main: 'src/main.ts', 'render-worker': 'src/pdf/render-worker.ts' }, outdir);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildApp();
