// dist/cjs is CommonJS inside a "type": "module" package: its own package.json says so to Node and to TypeScript.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
